/**
 * The trends page: one self-contained HTML file over a baseline history (`TrendsData`), built like
 * the task report (same frame, styles, inlined uPlot, escaping): an overview of every workload and
 * one tab per workload with a chart per series (total, then each atomic action): median, 90%ile and
 * 95%ile over the runs, success rate on the right axis, and the changes the gate flagged marked.
 */
import { writeFileAtomic } from '../../baseline/store-directory.js';
import type { TrendChange, TrendPoint, TrendRun, TrendsData, TrendSeries, TrendWorkload } from '../trends/data.js';
import { pageScript } from './client.js';
import { downsampleMinMax } from './downsample.js';
import { escapeHtml as e } from './escape.js';
import { card, chartBox, pageDocument, seconds, signedPercent, table } from './render.js';
import type { ChartColumns } from './types.js';

export interface TrendsPageOptions {
  /** page title (default "rally-gate trends") */
  title?: string;
  /** where the runs came from, e.g. "directory /srv/rally-gate, branch main" */
  source?: string;
  /** at most this many points per chart series (default 1000) */
  maxSeriesPoints?: number;
  generatedAt?: Date;
}

/** Series labels the browser script draws specially (markers, the right-hand percent axis). */
export const TREND_LABELS = {
  median: 'median',
  p90: '90%ile',
  p95: '95%ile',
  success: 'success %',
  regression: 'regression',
  improvement: 'improvement',
  newFailures: 'new failures',
} as const;

export interface TrendChartData {
  name: string;
  /** x = run index (TrendsPageData.runs) */
  columns: ChartColumns;
}

export interface TrendsPageData {
  /** per run index: time, commit, branch, short fingerprint (for the hover) */
  runs: Array<{ t: string; c: string; b: string; f: string }>;
  workloads: Array<{ id: string; charts: TrendChartData[] }>;
}

const DEFAULT_MAX_SERIES_POINTS = 1000;

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1').slice(0, 16);
}

function runLabel(runs: readonly TrendRun[], index: number): string {
  const run = runs[index];
  return run ? `#${index + 1} · ${shortTime(run.time)} · ${run.commit.slice(0, 10)} · ${run.branch}` : `#${index + 1}`;
}

/** The columns of one series' chart: x = run index, lines, then marker series (value at the marked run, else null). */
export function trendColumns(series: TrendSeries, maxPoints: number): ChartColumns {
  const x = series.points.map((p) => p.run);
  const marker = (kinds: readonly TrendChange['kind'][], valueOf: (p: TrendPoint) => number | null): Array<number | null> => {
    const marked = new Set(series.changes.filter((c) => kinds.includes(c.kind)).map((c) => c.run));
    return series.points.map((p) => (marked.has(p.run) ? valueOf(p) : null));
  };
  const columns = downsampleMinMax(x, [
    { label: TREND_LABELS.median, values: series.points.map((p) => p.median) },
    { label: TREND_LABELS.p90, values: series.points.map((p) => p.p90) },
    { label: TREND_LABELS.p95, values: series.points.map((p) => p.p95) },
    { label: TREND_LABELS.success, values: series.points.map((p) => p.success) },
    { label: TREND_LABELS.regression, values: marker(['regression'], (p) => p.median), points: true },
    { label: TREND_LABELS.improvement, values: marker(['improvement'], (p) => p.median), points: true },
    { label: TREND_LABELS.newFailures, values: marker(['new-failures'], (p) => p.success), points: true },
  ], maxPoints);
  // Downsampled, a bucket's min and max of a lone mark are the same mark: draw it once.
  if (columns.x.length < x.length) {
    for (const s of columns.series.filter((c) => c.points)) {
      for (let i = 0; i + 1 < s.values.length; i += 2) if (s.values[i] !== null && s.values[i] === s.values[i + 1]) s.values[i + 1] = null;
    }
  }
  return columns;
}

function workloadId(index: number): string {
  return `t${index + 1}`;
}

function workloadTitle(w: TrendWorkload): string {
  return w.subtask && w.subtask !== w.scenario ? `${w.scenario} · ${w.subtask}` : w.scenario;
}

function percentText(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)} %`;
}

function changeText(c: TrendChange): string {
  return c.kind === 'new-failures' ? `${c.change.toFixed(1)} % failed` : signedPercent(c.change);
}

function kindText(c: TrendChange): string {
  const word = c.kind === 'regression' ? '▲ regression' : c.kind === 'improvement' ? '▼ improvement' : '✗ new failures';
  return c.waived === undefined ? word : `${word} (waived)`;
}

function kindClass(c: TrendChange): string {
  if (c.waived !== undefined) return 'waived';
  return c.kind === 'improvement' ? 'better' : 'regression';
}

function latest(series: TrendSeries | undefined): TrendPoint | undefined {
  return series?.points[series.points.length - 1];
}

/** The change between the last two runs that have this series, relative. */
function lastStep(series: TrendSeries | undefined): number | undefined {
  const points = series?.points ?? [];
  const [before, after] = [points[points.length - 2]?.median, points[points.length - 1]?.median];
  return before && after !== null && after !== undefined ? after / before - 1 : undefined;
}

function allChanges(w: TrendWorkload): Array<TrendChange & { series: string }> {
  return w.series.flatMap((s) => s.changes.map((c) => ({ ...c, series: s.name }))).sort((a, b) => a.run - b.run || a.series.localeCompare(b.series));
}

function overviewSection(data: TrendsData, source: string | undefined): string {
  const rows = data.workloads.map((w, i) => {
    const total = w.series.find((s) => s.name === 'total');
    const point = latest(total);
    const changes = allChanges(w);
    const last = changes[changes.length - 1];
    const step = lastStep(total);
    return `<tr><td><a href="#${workloadId(i)}">${e(w.scenario)}</a></td><td>${e(w.subtask)}</td><td class="num">${e(total?.points.length ?? 0)}</td>`
      + `<td class="num">${e(seconds(point?.median))}</td><td class="num">${e(step === undefined ? '' : signedPercent(step))}</td><td class="num">${e(percentText(point?.success ?? null))}</td>`
      + `<td class="num">${changes.filter((c) => c.kind !== 'improvement').length}</td><td class="num">${changes.filter((c) => c.kind === 'improvement').length}</td>`
      + `<td>${last ? `<span class="change ${kindClass(last)}">${e(kindText(last))}</span> <span class="muted">${e(`${last.series}, run #${last.run + 1}`)}</span>` : '<span class="muted">none</span>'}</td></tr>`;
  });
  const runRows = data.runs.map((r, i) => `<tr><td class="num">${i + 1}</td><td>${e(shortTime(r.time))}</td><td><code>${e(r.commit)}</code></td><td>${e(r.branch)}</td><td><code>${e(r.fingerprint.slice(0, 12))}</code></td></tr>`);
  const first = data.runs[0];
  const last = data.runs[data.runs.length - 1];
  return `<section class="tab" id="overview"><h2>Trends</h2>
<p class="lead">${e([source ?? '', first && last ? `${data.runs.length} run${data.runs.length === 1 ? '' : 's'} from ${shortTime(first.time)} to ${shortTime(last.time)}` : 'no runs'].filter(Boolean).join(' · '))}</p>
<div class="cards">${card('Runs', e(data.runs.length))}${card('Workloads', e(data.workloads.length))}${card('Flagged changes', e(data.workloads.reduce((n, w) => n + allChanges(w).length, 0)))}</div>
${data.workloads.length ? table(['Scenario', 'Subtask', 'Runs', 'Median now', 'Last step', 'Success now', '▲ flagged', '▼ faster', 'Last flagged'], rows, [2, 3, 4, 5, 6, 7]) : '<p class="muted">The store holds no run (with these filters).</p>'}
<p class="muted">Marks: each run is judged as the gate judges a change, against the ${e(data.window)} run${data.window === 1 ? '' : 's'} before it on the same cloud, with the gate settings' thresholds. Trends read the baseline store only (its run summaries), not task reports.</p>
<details><summary>Runs</summary>${table(['#', 'Time (UTC)', 'Commit', 'Branch', 'Cloud fingerprint'], runRows, [0])}</details>
</section>`;
}

/** For a workload seen once: its figures as a table instead of a chart of one point. */
function singleRunTable(w: TrendWorkload): string {
  const rows = w.series.map((s) => {
    const p = s.points[0]!;
    return `<tr${s.name === 'total' ? ' class="total"' : ''}><td>${e(s.name)}</td>${[p.min, p.median, p.p90, p.p95, p.max].map((v) => `<td class="num">${e(seconds(v))}</td>`).join('')}`
      + `<td class="num">${e(percentText(p.success))}</td><td class="num">${e(p.count)}</td></tr>`;
  });
  return table(['Action', 'Min', 'Median', '90%ile', '95%ile', 'Max', 'Success', 'Count'], rows, [1, 2, 3, 4, 5, 6, 7]);
}

function changesTable(w: TrendWorkload, runs: readonly TrendRun[]): string {
  const changes = allChanges(w);
  if (changes.length === 0) return '<p class="muted">No change flagged in this history.</p>';
  const rows = changes.map((c) => {
    const interval = c.interval ? `${signedPercent(c.interval[0])} … ${signedPercent(c.interval[1])}` : '';
    return `<tr><td>${e(runLabel(runs, c.run))}</td><td>${e(c.series)}</td><td class="num"><span class="change ${kindClass(c)}">${e(changeText(c))}</span></td>`
      + `<td class="num">${e(interval)}</td><td><span class="change ${kindClass(c)}">${e(kindText(c))}</span>${c.waived ? ` <span class="muted">${e(c.waived)}</span>` : ''}</td>`
      + `<td class="num">${e(c.baselineRuns)}</td></tr>`;
  });
  return table(['Run', 'Series', 'Change', 'Interval', 'Verdict', 'Against runs'], rows, [2, 3, 5]);
}

function workloadSection(w: TrendWorkload, index: number, data: TrendsData): string {
  const id = workloadId(index);
  const total = w.series.find((s) => s.name === 'total');
  const runCount = total?.points.length ?? 0;
  const charts = runCount > 1
    ? `<div class="charts">${w.series.map((s, i) => chartBox(id, 'trend', s.name, s.name === 'total' ? 'whole iteration' : 'atomic action', i)).join('')}</div>`
    : `<p class="muted">Only one run has this workload so far: its figures instead of a chart.</p>${singleRunTable(w)}`;
  return `<section class="tab workload" id="${id}" data-workload-hash="${e(w.hash)}">
<h2>${e(w.scenario)}</h2>
<p class="lead">${e([w.subtask ? `subtask "${w.subtask}"` : '', w.task, `workload ${w.position + 1}`, `hash ${w.key}`].filter(Boolean).join(' · '))}</p>
<div class="cards">${card('Runs', e(runCount))}${card('Latest median', e(seconds(latest(total)?.median)))}${card('Latest success', e(percentText(latest(total)?.success ?? null)))}${card('SLA failed in', `${e(w.slaFailures)} run${w.slaFailures === 1 ? '' : 's'}`)}</div>
<h3>Over the runs <span class="muted">(median, 90%ile, 95%ile; success rate on the right axis; flagged changes marked)</span></h3>
${charts}
<h3>Flagged changes</h3>
${changesTable(w, data.runs)}
</section>`;
}

function navigation(data: TrendsData): string {
  const links = data.workloads.map((w, i) => {
    const changes = allChanges(w);
    const last = changes[changes.length - 1];
    // The mark says what happened at the newest run: flagged there, or not.
    const lastRun = data.runs.length - 1;
    const mark = last && last.run === lastRun && last.waived === undefined
      ? last.kind === 'improvement' ? '<span class="mark pass" title="improved in the newest run">▼</span>' : '<span class="mark fail" title="flagged in the newest run">▲</span>'
      : '<span class="mark" title="nothing flagged in the newest run">·</span>';
    return `<a href="#${workloadId(i)}">${mark}<span>${e(workloadTitle(w))}</span></a>`;
  });
  return `<nav class="workloads" aria-label="workloads"><a href="#overview"><span class="mark">≡</span><span>Overview</span></a><div class="group">Workloads</div>${links.join('')}</nav>`;
}

/** The browser side of the trends page: one chart kind, over run indexes, with run details in the hover. */
const TRENDS_CHARTS = String.raw`
  var MARKERS = { regression: '#D55E00', improvement: '#009E73', 'new failures': '#CC79A7' };
  var LINE_COLORS = { median: '#0072B2', '90%ile': '#E69F00', '95%ile': '#CC79A7', 'success %': '#8C959F' };
  function runText(i) {
    var r = pageData.runs[i];
    return r ? '#' + (i + 1) + ' · ' + r.t + ' · ' + r.c + ' · ' + r.b : '#' + (i + 1);
  }
  function trendChart(el, columns) {
    if (!columns || !columns.x.length) return empty(el, 'no data');
    var timeSeries = columns.series.filter(function (s) { return s.label !== 'success %' && s.label !== 'new failures'; });
    var unit = timeUnit(maxOf(timeSeries.map(function (s) { return s.values; })));
    var series = [{ label: 'run', value: function (u, v) { return v == null ? '--' : runText(v); } }];
    columns.series.forEach(function (s) {
      var percent = s.label === 'success %' || s.label === 'new failures';
      var format = percent ? function (u, v) { return v == null ? '--' : formatNumber(v) + ' %'; } : function (u, v) { return scaled(unit)(v); };
      if (s.points) {
        var c = MARKERS[s.label] || '#D55E00';
        series.push({ label: s.label, scale: percent ? 'pct' : 'y', stroke: c, paths: function () { return null; },
          points: { show: true, size: 11, fill: c, stroke: '#ffffff', width: 1.5 }, value: format });
      } else {
        series.push({ label: s.label, scale: percent ? 'pct' : 'y', stroke: LINE_COLORS[s.label] || color(s.label),
          width: s.label === 'median' ? 2 : 1.25, dash: percent ? [4, 4] : undefined, spanGaps: true,
          points: { show: columns.x.length <= 60, size: 4 }, value: format });
      }
    });
    var ax = axes('run', 'seconds', null, unit);
    ax[0].values = function (u, splits) { return splits.map(function (v) { return Number.isInteger(v) ? '#' + (v + 1) : ''; }); };
    ax.push({ scale: 'pct', side: 1, label: 'success %', labelSize: 18, size: 50, stroke: '#59636e', grid: { show: false },
      values: function (u, splits) { return splits.map(function (v) { return v + ' %'; }); } });
    makePlot(el, { series: series, axes: ax, scales: { x: { time: false }, pct: { range: [0, 105] } } },
      [columns.x].concat(columns.series.map(function (s) { return s.values; })));
  }
  function drawChart(el) {
    if (el.getAttribute('data-drawn')) return;
    el.setAttribute('data-drawn', '1');
    var w = workloads[el.getAttribute('data-workload')];
    var chart = w && w.charts[Number(el.getAttribute('data-index') || 0)];
    if (chart) trendChart(el, chart.columns);
  }
`;

export const TRENDS_SCRIPT = pageScript(TRENDS_CHARTS);

export function renderTrendsPage(data: TrendsData, options: TrendsPageOptions = {}): string {
  const maxPoints = options.maxSeriesPoints ?? DEFAULT_MAX_SERIES_POINTS;
  const pageData: TrendsPageData = {
    runs: data.runs.map((r) => ({ t: shortTime(r.time), c: r.commit.slice(0, 10), b: r.branch, f: r.fingerprint.slice(0, 8) })),
    workloads: data.workloads.map((w, i) => ({
      id: workloadId(i),
      // A workload seen once shows a table: no chart data for it.
      charts: (w.series.find((s) => s.name === 'total')?.points.length ?? 0) > 1 ? w.series.map((s) => ({ name: s.name, columns: trendColumns(s, maxPoints) })) : [],
    })),
  };
  const newestRun = data.runs.length - 1;
  const flaggedNow = data.workloads.filter((w) => allChanges(w).some((c) => c.run === newestRun && c.kind !== 'improvement' && c.waived === undefined)).length;
  const title = options.title ?? 'rally-gate trends';
  return pageDocument({
    title,
    badges: flaggedNow > 0
      ? `<span class="verdict fail big" data-verdict="flagged">▲ ${flaggedNow} flagged</span>`
      : `<span class="verdict neutral big" data-verdict="trends">≡ trends</span>`,
    meta: `${data.workloads.length} workload${data.workloads.length === 1 ? '' : 's'} · ${data.runs.length} run${data.runs.length === 1 ? '' : 's'}${options.source ? ` · ${options.source}` : ''}`,
    nav: navigation(data),
    main: `${overviewSection(data, options.source)}\n${data.workloads.map((w, i) => workloadSection(w, i, data)).join('\n')}`,
    generatedAt: options.generatedAt ?? new Date(),
    data: pageData,
    script: TRENDS_SCRIPT,
  });
}

/** Writes the trends page to `file` (next to it first, then renamed: never half a page). */
export async function writeTrendsPage(data: TrendsData, file: string, options: TrendsPageOptions = {}): Promise<void> {
  await writeFileAtomic(file, renderTrendsPage(data, options));
}
