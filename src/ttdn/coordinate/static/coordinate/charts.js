/* Coordinate charts (ECharts from Measure's static files): the overdue board's bars, the
   roll-up's submission status and indicator bars, the evaluation's progress against targets.
   Each chart reads its data from a <script type="application/json"> next to it. */
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }
  var board = data("board-data");
  if (board && board.names.length) {
    draw("board-chart", {
      tooltip: { trigger: "axis" },
      legend: { data: [board.labels.late, board.labels.at_risk] },
      grid: { left: 160, right: 20, top: 30, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: board.names, inverse: true },
      series: [
        { name: board.labels.late, type: "bar", stack: "t", data: board.late, itemStyle: { color: "#c8102e" } },
        { name: board.labels.at_risk, type: "bar", stack: "t", data: board.at_risk, itemStyle: { color: "#f0a202" } }
      ]
    });
  }
  var rollup = data("rollup-data");
  if (rollup) {
    draw("rollup-status-chart", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["40%", "70%"], data: rollup.status }]
    });
    if (rollup.indicator && rollup.indicator.names.length) {
      draw("rollup-indicator-chart", {
        tooltip: { trigger: "axis" },
        grid: { left: 160, right: 20, top: 20, bottom: 20 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: rollup.indicator.names, inverse: true },
        series: [{ type: "bar", data: rollup.indicator.values, itemStyle: { color: "#1f77b4" } }]
      });
    }
  }
  var evaluation = data("evaluation-data");
  if (evaluation) {
    draw("evaluation-chart", {
      tooltip: { trigger: "axis" },
      legend: { data: [evaluation.labels.actual, evaluation.labels.target] },
      xAxis: { type: "category", data: evaluation.years },
      yAxis: { type: "value" },
      series: [
        { name: evaluation.labels.actual, type: "bar", data: evaluation.actual, itemStyle: { color: "#1f77b4" } },
        { name: evaluation.labels.target, type: "line", data: evaluation.target, itemStyle: { color: "#c8102e" } }
      ]
    });
  }
})();
