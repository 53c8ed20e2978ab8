/* Follow-up charts (ECharts from Measure's static files, drawn as SVG like Coordinate's):
   times, deadlines met, re-appearances, volume, tone before/after and pickups of each answer.
   Each <script type="application/json" data-followup data-prefix="…"> holds one set of
   figures; its charts are the elements whose ids start with that prefix (the follow-up page
   has prefix "", Measure's dashboard panel "respond-"), so one script serves both.
   Labels arrive already translated. No inline script: the CSP allows only our static files. */
(function () {
  "use strict";
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }
  function bar(id, labels, values) {
    draw(id, {
      tooltip: {}, grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "category", data: labels }, yAxis: { type: "value" },
      series: [{ type: "bar", data: values }]
    });
  }
  function drawAll(p, data) {
    bar(p + "chart-severity", Object.keys(data.severity), Object.values(data.severity));
    bar(p + "chart-organisation", Object.keys(data.organisation), Object.values(data.organisation));
    bar(p + "chart-assess-severity", Object.keys(data.assess_severity),
        Object.values(data.assess_severity));
    bar(p + "chart-assess-organisation", Object.keys(data.assess_organisation),
        Object.values(data.assess_organisation));
    bar(p + "chart-met", Object.keys(data.met), Object.values(data.met));
    bar(p + "chart-reappear", Object.keys(data.reappear), Object.values(data.reappear));
    bar(p + "chart-volume", Object.keys(data.volume), Object.values(data.volume));
    var tone = data.tone;
    if (tone && tone.cases.length) {
      // tone runs from -1 (negative) to 1 (positive); a missing side stays a gap
      draw(p + "chart-tone", {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [tone.labels.before, tone.labels.after] },
        grid: { left: 160, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "value", min: -1, max: 1 },
        yAxis: { type: "category", data: tone.cases, inverse: true },
        series: [
          { name: tone.labels.before, type: "bar", data: tone.before, itemStyle: { color: "#999999" } },
          { name: tone.labels.after, type: "bar", data: tone.after, itemStyle: { color: "#1f77b4" } }
        ]
      });
    }
    var pickups = data.pickups;
    if (pickups && pickups.cases.length) {
      draw(p + "chart-pickups", {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [pickups.label] },
        grid: { left: 160, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: pickups.cases, inverse: true },
        series: [{ name: pickups.label, type: "bar", data: pickups.values, itemStyle: { color: "#2a9d8f" } }]
      });
    }
  }
  document.querySelectorAll("script[data-followup]").forEach(function (node) {
    drawAll(node.dataset.prefix || "", JSON.parse(node.textContent));
  });
})();
