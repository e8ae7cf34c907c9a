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

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var chart = echarts.init(node, theme, { renderer: "canvas" });
    if (dark) { option.backgroundColor = "transparent"; }
    option.animation = !dark;
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) { window.location.href = url; }
    });
    charts.push(chart);
  }

  function points(rows) { return rows.map(function (row) { return { value: row.value, url: row.url, name: row.name }; }); }
  function nonZero(rows) { return rows.filter(function (row) { return row.value > 0; }); }
  function names(rows) { return rows.map(function (row) { return row.name; }); }

  draw("chart-funnel", {
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + " 个（" + p.data.investment + " 亿元）"; } },
    series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b}：{c}" },
      data: data.funnel.map(function (row) { return { name: row.name, value: row.value, url: row.url, investment: row.investment }; }) }]
  });
  draw("chart-clusters", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 亿元（{d}%）" },
    series: [{ type: "pie", radius: ["35%", "65%"], data: points(nonZero(data.clusters)), label: { formatter: "{b}\n{c}亿" } }]
  });
  draw("chart-regions", {
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + " 个（" + p.data.investment + " 亿元）"; } },
    series: [{ type: "pie", radius: "62%", label: { formatter: "{b} {c}" },
      data: nonZero(data.regions).map(function (row) { return { name: row.name, value: row.value, url: row.url, investment: row.investment }; }) }]
  });
  draw("chart-chains", {
    tooltip: { trigger: "axis" }, grid: { left: 120, right: 30, top: 10, bottom: 30 },
    xAxis: { type: "value", name: "亿元" }, yAxis: { type: "category", data: names(data.chains), inverse: true },
    series: [{ type: "bar", data: points(data.chains), label: { show: true, position: "right" } }]
  });
  draw("chart-months", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months.labels }, yAxis: { type: "value", name: "个", minInterval: 1 },
    series: [
      { name: "签约", type: "bar", data: data.months.signed },
      { name: "上年签约", type: "line", data: data.months.signed_last_year },
      { name: "新开工", type: "bar", data: data.months.started },
      { name: "上年新开工", type: "line", data: data.months.started_last_year }
    ]
  });
  draw("chart-units", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 20, top: 40, bottom: 60 },
    xAxis: { type: "category", data: names(data.units), axisLabel: { rotate: 30 } }, yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "签约项目数", type: "bar", data: data.units.map(function (u) { return { value: u.signed, url: u.url }; }) },
      { name: "开工项目数", type: "bar", data: data.units.map(function (u) { return { value: u.started, url: u.started_url }; }) }
    ]
  });
  draw("chart-arrivals", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.arrivals.labels }, yAxis: { type: "value", name: "亿元" },
    series: [
      { name: "本期", type: "bar", data: data.arrivals.this_year },
      { name: "上年同期", type: "line", data: data.arrivals.last_year }
    ]
  });
  if (data.tickets && nonZero(data.tickets).length) {
    draw("chart-tickets", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: points(nonZero(data.tickets)), label: { formatter: "{b} {c}" } }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
