/**
 * The browser side of the pages: tabs (one per workload, chosen by the URL hash) and uPlot charts,
 * drawn the first time their tab is shown so the page is interactive at once even with many
 * workloads. Plain ES2017 in strings; a page's script is CHART_KIT (data, colours, units, axes,
 * line/stacked/histogram charts), then the page's own `drawChart(el)`, then TABS, all in one
 * function scope. It reads the page data from <script id="report-data"> and only ever puts input
 * text into the page through textContent.
 */

/** Shared helpers; expects nothing, defines pageData, workloads (by id), charts and the chart functions. */
export const CHART_KIT = String.raw`
  var root = document.documentElement;
  root.classList.add('js');
  var dataElement = document.getElementById('report-data');
  var pageData = JSON.parse(dataElement ? dataElement.textContent : '{"workloads":[]}');
  pageData.workloads = pageData.workloads || [];
  var workloads = {};
  pageData.workloads.forEach(function (w) { workloads[w.id] = w; });
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#332288', '#999933',
    '#882255', '#44AA99', '#AA4499', '#117733', '#88CCEE', '#DDCC77', '#661100', '#6699CC'];
  var CHART_HEIGHT = 250;
  var charts = [];

  // One colour per series name across the page, so an atomic action looks the same in every chart.
  var colorsByLabel = { total: PALETTE[0], current: PALETTE[0], baseline: '#8C959F', 'concurrent iterations': PALETTE[0] };
  var colorsUsed = 1;
  function color(label) {
    if (!Object.prototype.hasOwnProperty.call(colorsByLabel, label)) colorsByLabel[label] = PALETTE[colorsUsed++ % PALETTE.length];
    return colorsByLabel[label];
  }
  function withAlpha(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }
  function formatNumber(v) {
    if (v == null || isNaN(v)) return '--';
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 1000) return v.toFixed(0);
    if (a >= 1) return String(parseFloat(v.toFixed(3)));
    return String(parseFloat(v.toPrecision(3)));
  }
  function empty(el, text) {
    var p = document.createElement('div');
    p.className = 'chart-empty';
    p.textContent = text;
    el.appendChild(p);
  }

  function makePlot(el, opts, data) {
    opts.width = Math.max(200, el.clientWidth || 400);
    opts.height = CHART_HEIGHT;
    opts.scales = opts.scales || {};
    opts.scales.x = opts.scales.x || { time: false };
    // Durations, counts and stacks read wrongly from a y axis that does not start at zero.
    opts.scales.y = opts.scales.y || { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; } };
    opts.cursor = { drag: { x: true, y: false }, points: { size: 6 } };
    var plot = new uPlot(opts, data, el);
    charts.push({ plot: plot, el: el });
    return plot;
  }

  // Durations are stored in seconds; a chart of millisecond values reads better in ms (or µs).
  function timeUnit(maxSeconds) {
    if (!(maxSeconds > 0) || maxSeconds >= 1) return { name: 'seconds', factor: 1 };
    if (maxSeconds >= 0.001) return { name: 'milliseconds', factor: 1e3 };
    return { name: 'microseconds', factor: 1e6 };
  }
  function maxOf(arrays) {
    var m = 0;
    arrays.forEach(function (a) { a.forEach(function (v) { if (v != null && v > m) m = v; }); });
    return m;
  }
  function scaled(unit) {
    return function (v) { return v == null ? '--' : formatNumber(v * unit.factor); };
  }
  function axisStyle(label, values) {
    return { label: label, labelSize: 18, stroke: '#59636e', grid: { stroke: '#eaeef2' }, ticks: { stroke: '#d1d9e0' },
      values: function (u, splits) { return splits.map(values); } };
  }
  // yUnit / xUnit: a time unit from timeUnit(), or null for plain numbers.
  function axes(xLabel, yLabel, xUnit, yUnit) {
    var x = axisStyle(xUnit ? xLabel.replace('seconds', xUnit.name) : xLabel, xUnit ? scaled(xUnit) : formatNumber);
    var y = axisStyle(yUnit ? yUnit.name : yLabel, yUnit ? scaled(yUnit) : formatNumber);
    y.size = 60;
    return [x, y];
  }

  function lines(el, columns, xLabel, yLabel, fill, yIsTime, xIsTime) {
    if (!columns || !columns.x.length) return empty(el, 'no data');
    var unit = yIsTime ? timeUnit(maxOf(columns.series.map(function (s) { return s.values; }))) : null;
    var xUnit = xIsTime ? timeUnit(columns.x[columns.x.length - 1]) : null;
    var format = unit ? scaled(unit) : function (v) { return formatNumber(v); };
    var series = [{ label: xUnit ? xLabel.replace('seconds', xUnit.name) : xLabel, value: xUnit ? scaled(xUnit) : function (u, v) { return formatNumber(v); } }];
    columns.series.forEach(function (s, i) {
      var c = s.points ? '#D55E00' : color(s.label);
      var spec = { label: s.label, stroke: c, width: 1.5, spanGaps: true, fill: fill ? withAlpha(c, 0.15) : undefined,
        points: { show: false }, value: function (u, v) { return format(v); } };
      if (s.points) { spec.paths = function () { return null; }; spec.points = { show: true, size: 5, fill: c, stroke: c }; }
      series.push(spec);
    });
    makePlot(el, { series: series, axes: axes(xLabel, yLabel, xUnit, unit) }, [columns.x].concat(columns.series.map(function (s) { return s.values; })));
  }

  // uPlot has no stacking: draw cumulative sums, largest first, each filled down to zero, so the
  // visible band of a series is its own share; the legend shows the series' own value.
  function stacked(el, columns, xLabel, yLabel, yIsTime) {
    if (!columns || !columns.x.length) return empty(el, 'no data');
    var n = columns.x.length;
    var running = new Array(n).fill(0);
    var cumulative = columns.series.map(function (s) {
      return s.values.map(function (v, i) { running[i] += (v || 0); return running[i]; });
    });
    var unit = yIsTime ? timeUnit(maxOf([running])) : null;
    var format = unit ? scaled(unit) : formatNumber;
    var series = [{ label: xLabel, value: function (u, v) { return formatNumber(v); } }];
    var data = [columns.x];
    for (var k = columns.series.length - 1; k >= 0; k--) {
      (function (k) {
        var c = color(columns.series[k].label);
        var own = columns.series[k].values;
        series.push({ label: columns.series[k].label, stroke: c, width: 1, fill: c, points: { show: false },
          value: function (u, v, si, idx) { return idx == null ? '--' : format(own[idx]); } });
        data.push(cumulative[k]);
      })(k);
    }
    makePlot(el, { series: series, axes: axes(xLabel, yLabel, null, unit) }, data);
  }

  function histogramPlot(el, histograms, xLabel) {
    var valid = histograms.filter(function (h) { return h && h.counts.length; });
    if (!valid.length) return empty(el, 'no successful iterations');
    // Series share the edges of the first histogram (the report computes comparison ones that way).
    var x = valid[0].edges;
    var unit = timeUnit(x[x.length - 1]);
    var series = [{ label: unit.name, value: function (u, v) { return scaled(unit)(v); } }];
    var data = [x];
    valid.forEach(function (h, i) {
      var c = color(h.label);
      var label = h.overflowFrom == null ? h.label : h.label + ' (last bin: above ' + scaled(unit)(h.overflowFrom) + ')';
      series.push({ label: label, stroke: c, width: 1.5, fill: withAlpha(c, valid.length > 1 ? 0.25 : 0.45),
        paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } });
      data.push(h.counts.concat([h.counts[h.counts.length - 1]]));
    });
    makePlot(el, { series: series, axes: axes(xLabel, valid[0].share ? '% of iterations' : 'iterations', unit, null) }, data);
  }

`;

/** Tab switching by URL hash and chart resizing; needs drawChart(el) from the page's script. */
export const TABS = String.raw`
  function show(id) {
    var tabs = document.querySelectorAll('.tab');
    var target = document.getElementById(id);
    if (!target || !target.classList.contains('tab')) target = tabs[0];
    if (!target) return;
    Array.prototype.forEach.call(tabs, function (t) { t.classList.toggle('active', t === target); });
    Array.prototype.forEach.call(document.querySelectorAll('nav.workloads a'), function (a) {
      if (a.getAttribute('href') === '#' + target.id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    Array.prototype.forEach.call(target.querySelectorAll('.chart'), function (el) {
      if (!el.closest('[hidden]')) drawChart(el);
    });
  }

  window.addEventListener('hashchange', function () { show(location.hash.slice(1)); window.scrollTo(0, 0); });
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      charts.forEach(function (c) { if (c.el.clientWidth) c.plot.setSize({ width: c.el.clientWidth, height: CHART_HEIGHT }); });
    }, 100);
  });
  show(location.hash.slice(1));
`;

/** The task report's charts (durations, atomics, load, histograms, custom output). */
const REPORT_CHARTS = String.raw`
  function drawChart(el) {
    if (el.getAttribute('data-drawn')) return;
    el.setAttribute('data-drawn', '1');
    var w = workloads[el.getAttribute('data-workload')];
    if (!w) return;
    var kind = el.getAttribute('data-chart');
    var index = Number(el.getAttribute('data-index') || 0);
    if (kind === 'durations') lines(el, w.durations, 'iteration', 'seconds', false, true);
    else if (kind === 'atomics') stacked(el, w.atomicsStacked, 'iteration', 'seconds', true);
    else if (kind === 'load') lines(el, w.loadProfile, 'seconds since the first iteration', 'iterations', true, false, true);
    else if (kind === 'histogram') histogramPlot(el, [w.histograms[index]], 'seconds');
    else if (kind === 'comparison' && w.comparison) histogramPlot(el, [w.comparison.current, w.comparison.baseline], 'seconds');
    else if (kind === 'output' || kind === 'hook-output') {
      var chart = (kind === 'output' ? w.outputs : w.hookOutputs)[index];
      if (!chart) return;
      if (chart.kind === 'stacked') stacked(el, chart.columns, chart.axisLabel || 'x', chart.label || '', false);
      else lines(el, chart.columns, chart.axisLabel || 'x', chart.label || '', false, false);
    }
  }

  function redrawHistogram(select) {
    var el = select.closest('figure').querySelector('.chart');
    charts = charts.filter(function (c) { if (c.el === el) { c.plot.destroy(); return false; } return true; });
    el.textContent = '';
    el.removeAttribute('data-drawn');
    el.setAttribute('data-index', select.value);
    drawChart(el);
  }

  function showComplete(select) {
    var container = select.closest('.complete-outputs');
    Array.prototype.forEach.call(container.querySelectorAll('.complete-output'), function (block) {
      block.hidden = block.getAttribute('data-source') !== select.value;
      if (!block.hidden) Array.prototype.forEach.call(block.querySelectorAll('.chart'), drawChart);
    });
  }

  document.addEventListener('change', function (event) {
    var t = event.target;
    if (t && t.matches && t.matches('select.histogram-choice')) redrawHistogram(t);
    if (t && t.matches && t.matches('select.complete-choice')) showComplete(t);
  });
`;

/** One function scope holding the kit, the page's charts and the tabs. */
export function pageScript(pageCharts: string): string {
  return `(function () {\n  'use strict';${CHART_KIT}${pageCharts}${TABS}})();\n`;
}

export const CLIENT_SCRIPT = pageScript(REPORT_CHARTS);
