// Draws the cockpit's charts from the data the page carries; clicking a bar, a slice or
// a point opens the project list filtered to exactly the rows behind it.
(function () {
  "use strict";
  var source = document.getElementById("zs-cockpit-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var dark = document.body.classList.contains("zs-screen");
  var theme = dark ? "dark" : null;
  var charts = [];
  // Those who may not open the project list (observers) get the charts without drill-down.
  var drill = !document.querySelector("[data-no-drill]");

  // A chart with nothing to show says so in words, not with an empty grey ring.
  var EMPTY = { type: "text", left: "center", top: "middle", silent: true,
    style: { text: "暂无数据", fontSize: 14, fill: dark ? "#8b95a5" : "#6c757d" } };

  function draw(id, option, empty) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, theme, { renderer: "canvas" });
    if (empty) {
      option = { graphic: [EMPTY] };
      node.setAttribute("data-empty", "1");
    }
    if (dark) {
      option.backgroundColor = "transparent";
      // The big screen's text grows with the screen (12px at 1920×1080).
      var scale = Math.max(0.8, Math.min(window.innerWidth / 1920, window.innerHeight / 1080));
      option.textStyle = { fontSize: Math.round(12 * scale) };
    }
    option.animation = !dark;
    chart.setOption(option);
    if (drill) {
      chart.on("click", function (params) {
        var url = params.data && params.data.url;
        if (url) { window.location.href = url; }
      });
    }
    charts.push(chart);
  }

  function points(rows) { return rows.map(function (row) { return { value: row.value, url: row.url, name: row.name }; }); }
  function nonZero(rows) { return rows.filter(function (row) { return row.value > 0; }); }
  function names(rows) { return rows.map(function (row) { return row.name; }); }
  function nothing(rows) { return !rows || !rows.some(function (row) { return (row.value || 0) > 0; }); }
  // Amounts in 亿元 always with two decimals, as on the cards (40.60, never 40.6).
  function yi(value) { return Number(value || 0).toFixed(2); }
  function yiLabel(p) { return yi(p.value); }

  draw("chart-funnel", {
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + " 个（" + yi(p.data.investment) + " 亿元）"; } },
    series: [{ type: "funnel", sort: "none", left: "22%", width: "56%", top: 10, bottom: 10, minSize: "18%", gap: 2,
      label: { position: "inside", formatter: "{b} {c}", color: "#fff", fontWeight: "bold", textBorderColor: "rgba(0,0,0,.35)", textBorderWidth: 2 },
      data: data.funnel.map(function (row) { return { name: row.name, value: row.value, url: row.url, investment: row.investment }; }) }]
  }, nothing(data.funnel));
  draw("chart-clusters", {
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + yi(p.value) + " 亿元（" + p.percent + "%）"; } },
    series: [{ type: "pie", radius: ["35%", "65%"], data: points(nonZero(data.clusters)),
      label: { formatter: function (p) { return p.name + "\n" + yi(p.value) + "亿"; } } }]
  }, nothing(data.clusters));
  draw("chart-regions", {
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + " 个（" + yi(p.data.investment) + " 亿元）"; } },
    series: [{ type: "pie", radius: "62%", label: { formatter: "{b} {c}" },
      data: nonZero(data.regions).map(function (row) { return { name: row.name, value: row.value, url: row.url, investment: row.investment }; }) }]
  }, nothing(data.regions));
  draw("chart-chains", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return yi(v) + " 亿元"; } },
    grid: { left: 10, right: 60, top: 24, bottom: 24, containLabel: true },
    xAxis: { type: "value", name: "亿元", nameGap: 8 }, yAxis: { type: "category", data: names(data.chains), inverse: true },
    series: [{ type: "bar", data: points(data.chains), label: { show: true, position: "right", formatter: yiLabel } }]
  }, nothing(data.chains));
  function allZero(series) { return series.every(function (rows) { return nothing(rows); }); }
  draw("chart-months", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 10, right: 20, top: 40, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: data.months.labels }, yAxis: { type: "value", name: "个", minInterval: 1 },
    series: [
      { name: "签约", type: "bar", data: data.months.signed },
      { name: "上年签约", type: "line", data: data.months.signed_last_year },
      { name: "新开工", type: "bar", data: data.months.started },
      { name: "上年新开工", type: "line", data: data.months.started_last_year }
    ]
  }, allZero([data.months.signed, data.months.signed_last_year, data.months.started, data.months.started_last_year]));
  draw("chart-units", {
    // Rotated unit names lean left: room on that side so the first is not cut.
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 36, right: 20, top: 40, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: names(data.units), axisLabel: { rotate: 30, interval: 0, width: 90, overflow: "truncate" } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "签约项目数", type: "bar", data: data.units.map(function (u) { return { value: u.signed, url: u.url }; }) },
      { name: "开工项目数", type: "bar", data: data.units.map(function (u) { return { value: u.started, url: u.started_url }; }) }
    ]
  }, !data.units.length);
  draw("chart-arrivals", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return yi(v) + " 亿元"; } }, legend: { top: 0 },
    grid: { left: 10, right: 20, top: 40, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: data.arrivals.labels }, yAxis: { type: "value", name: "亿元" },
    series: [
      { name: "本期", type: "bar", data: data.arrivals.this_year },
      { name: "上年同期", type: "line", data: data.arrivals.last_year }
    ]
  }, allZero([data.arrivals.this_year, data.arrivals.last_year]));
  draw("chart-tickets", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: points(nonZero(data.tickets || [])), label: { formatter: "{b} {c}" } }]
  }, nothing(data.tickets));
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
