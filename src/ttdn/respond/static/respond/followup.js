// Follow-up charts (ECharts from our static files): one bar chart per figure.
(function () {
  var data = JSON.parse(document.getElementById("followup-data").textContent);
  function bar(id, labels, values) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    echarts.init(el).setOption({
      tooltip: {}, grid: {left: 60, right: 20, top: 20, bottom: 40},
      xAxis: {type: "category", data: labels}, yAxis: {type: "value"},
      series: [{type: "bar", data: values}]
    });
  }
  bar("chart-severity", Object.keys(data.severity), Object.values(data.severity));
  bar("chart-organisation", Object.keys(data.organisation), Object.values(data.organisation));
  bar("chart-met", Object.keys(data.met), Object.values(data.met));
  bar("chart-reappear", Object.keys(data.reappear), Object.values(data.reappear));
  bar("chart-volume", Object.keys(data.volume), Object.values(data.volume));
})();
