// Draws the Insights page's chart with uPlot from the series in
// #insights-chart's data-series (x: UTC seconds; shown in the programme's
// time zone). Without JavaScript the page shows the same figures as tables.
(function () {
  'use strict';
  function draw() {
    var el = document.getElementById('insights-chart');
    if (!el || typeof uPlot === 'undefined') return;
    var data = JSON.parse(el.getAttribute('data-series'));
    var colors = ['#1f5fa8', '#7a3fb0', '#1b7f4b', '#b35c00', '#b0223a'];
    var series = [{}];
    var values = [data.x];
    data.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: colors[i % colors.length], width: 2, spanGaps: false });
      values.push(s.values);
    });
    var width = function () { return Math.max(280, el.parentNode.clientWidth); };
    var opts = {
      width: width(),
      height: 260,
      series: series,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), data.zone); },
      axes: [{}, { size: 50 }],
      legend: { live: false },  // the figures are in the table below; the legend names the series and toggles them
    };
    el.innerHTML = '';
    var chart = new uPlot(opts, values, el);
    var pending = null;
    window.addEventListener('resize', function () {
      clearTimeout(pending);
      pending = setTimeout(function () { chart.setSize({ width: width(), height: 260 }); }, 100);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
