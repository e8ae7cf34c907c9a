// The chain map: an ECharts tree, chain → 上游/中游/下游 → nodes → local enterprises.
(function () {
  var box = document.getElementById("zs-chain-tree");
  var source = document.getElementById("zs-chain-tree-data");
  if (!box || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: {trigger: "item", triggerOn: "mousemove"},
    series: [{
      type: "tree",
      data: [data],
      top: "2%", left: "14%", bottom: "2%", right: "24%",
      symbolSize: 10,
      initialTreeDepth: -1,
      label: {position: "left", verticalAlign: "middle", align: "right", fontSize: 13},
      leaves: {label: {position: "right", verticalAlign: "middle", align: "left"}},
      expandAndCollapse: true,
      animationDuration: 300
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
