// Draws each placement's chart on a partner's report page with uPlot from
// the series in its data-series (x: UTC seconds of each local day; shown in
// the festival's time zone). Without JavaScript the tables show the figures.
(function () {
  'use strict';
  function draw(el) {
    var data = JSON.parse(el.getAttribute('data-series'));
    var colors = ['#1f5fa8', '#b0223a', '#1b7f4b'];
    var series = [{}];
    var values = [data.x];
    data.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: colors[i % colors.length], width: 2 });
      values.push(s.values);
    });
    var width = function () { return Math.max(260, el.parentNode.clientWidth); };
    el.innerHTML = '';
    var chart = new uPlot({
      width: width(), height: 220, series: series,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), data.zone); },
      axes: [{}, { size: 50 }], legend: { live: false },
    }, values, el);
    var pending = null;
    window.addEventListener('resize', function () {
      clearTimeout(pending);
      pending = setTimeout(function () { chart.setSize({ width: width(), height: 220 }); }, 100);
    });
  }
  function drawAll() {
    if (typeof uPlot === 'undefined') return;
    Array.prototype.forEach.call(document.querySelectorAll('.report-chart[data-series]'), draw);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll);
  else drawAll();
})();
