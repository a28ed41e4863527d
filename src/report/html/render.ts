/**
 * The page itself: tables and text rendered here (escaped), charts left to the inlined browser
 * script, which reads the compact data embedded as JSON. One tab for the overview, one per workload.
 */
import type { HookResults, SlaResult, WorkloadRunSummary } from '../../engine/types.js';
import type { TaskConfig, WorkloadConfig } from '../../task/types.js';
import type { DurationStatsRow, WorkloadStatistics } from '../stats.js';
import { scenarioName } from '../types.js';
import { chartLibraryAssets } from './assets.js';
import { CLIENT_SCRIPT } from './client.js';
import { escapeHtml as e, inlineAsset, jsonForScript } from './escape.js';
import { PAGE_STYLE } from './styles.js';
import type { ComparisonMetric, HtmlComparison, OutputChartData, ReportPageData, WorkloadChartData, WorkloadComparison } from './types.js';
import type { FailureGroup, WorkloadAnalysis } from './workload-analysis.js';

/** Everything the page shows about one workload. */
export interface WorkloadView {
  id: string;
  subtaskTitle: string;
  config: WorkloadConfig;
  description: string;
  summary: Omit<WorkloadRunSummary, 'iterationsFile'>;
  statistics: WorkloadStatistics | undefined;
  analysis: WorkloadAnalysis;
  hookOutputs: OutputChartData[];
  comparison: WorkloadComparison | undefined;
  chartData: WorkloadChartData;
}

export interface TaskView {
  uuid: string;
  title: string;
  description: string;
  status: string;
  envName: string;
  createdAt: string;
  updatedAt: string;
  passSla: boolean;
  task: TaskConfig;
  workloads: WorkloadView[];
}

export interface PageView {
  title: string;
  generatedAt: Date;
  tasks: TaskView[];
  comparison: HtmlComparison | undefined;
  maxFailureGroups: number;
}

// ---------------------------------------------------------------------------------------------
// Small formatting helpers

export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${value.toFixed(1)} s`;
  if (value >= 1) return `${value.toFixed(3)} s`;
  return `${(value * 1000).toPrecision(3)} ms`;
}

function statCell(value: number | string | undefined): string {
  if (typeof value === 'number') return value.toFixed(3);
  return e(value ?? 'n/a');
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

export function signedPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)} %`;
}

export function verdictBadge(pass: boolean, big = false): string {
  const size = big ? ' big' : '';
  return pass
    ? `<span class="verdict pass${size}" data-verdict="pass">✓ PASS</span>`
    : `<span class="verdict fail${size}" data-verdict="fail">✗ FAIL</span>`;
}

function runnerSummary(config: WorkloadConfig): string {
  const [type = '?', args = {}] = Object.entries(config.runner)[0] ?? [];
  const details = Object.entries(args as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return details ? `${type} (${details})` : type;
}

export function card(label: string, value: string, small = false): string {
  return `<div class="card"><div class="label">${e(label)}</div><div class="value${small ? ' small' : ''}">${value}</div></div>`;
}

/** `numeric`: indexes of the columns whose headers align right, like their numbers. */
export function table(head: string[], rows: string[], numeric: readonly number[] = []): string {
  const cells = head.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${e(h)}</th>`).join('');
  return `<div class="table-wrap"><table><thead><tr>${cells}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function chartBox(workloadId: string, chart: string, caption: string, hint = '', index?: number, extra = ''): string {
  const indexAttribute = index === undefined ? '' : ` data-index="${index}"`;
  return `<figure class="chart-box"><figcaption><span>${e(caption)}${hint ? ` <span class="hint">${e(hint)}</span>` : ''}</span>${extra}</figcaption>`
    + `<div class="chart" data-workload="${e(workloadId)}" data-chart="${chart}"${indexAttribute}></div></figure>`;
}

// ---------------------------------------------------------------------------------------------
// Sections

function slaTable(results: readonly SlaResult[]): string {
  if (results.length === 0) return '<p class="muted">No SLA criteria.</p>';
  const rows = results.map(
    (r) => `<tr><td>${e(r.criterion)}</td><td>${e(r.detail)}</td><td>${verdictBadge(r.success)}</td></tr>`,
  );
  return table(['Criterion', 'Detail', 'Result'], rows);
}

const STAT_KEYS = ['min', 'median', '90%ile', '95%ile', 'max', 'avg'] as const;

function statsRows(row: DurationStatsRow, depth: number, isTotal: boolean): string[] {
  const d = row.data;
  const classes = [depth > 0 ? `child depth${depth}` : '', isTotal && depth === 0 ? 'total' : ''].filter(Boolean).join(' ');
  const cells = STAT_KEYS.map((k) => `<td class="num">${statCell(d[k])}</td>`).join('');
  const own = `<tr${classes ? ` class="${classes}"` : ''}><td>${e(row.display_name || row.name)}</td>${cells}<td class="num">${e(d.success)}</td><td class="num">${e(d.iteration_count)}</td></tr>`;
  return [own, ...(row.children ?? []).flatMap((child) => statsRows(child, depth + 1, isTotal))];
}

function statisticsTable(statistics: WorkloadStatistics | undefined): string {
  const durations = statistics?.durations;
  if (!durations) return '<p class="muted">No statistics in this report.</p>';
  const rows = [...(durations.atomics ?? []).flatMap((row) => statsRows(row, 0, false)), ...statsRows(durations.total, 0, true)];
  const head = ['Action', 'Min (sec)', 'Median (sec)', '90%ile (sec)', '95%ile (sec)', 'Max (sec)', 'Avg (sec)', 'Success', 'Count'];
  return table(head, rows, [1, 2, 3, 4, 5, 6, 7, 8]);
}

function failuresSection(groups: readonly FailureGroup[], failedCount: number, maxGroups: number): string {
  if (groups.length === 0) return '';
  const shown = groups.slice(0, maxGroups).map((g) => {
    const listed = g.iterations.join(', ') + (g.count > g.iterations.length ? ', …' : '');
    return `<div class="failure"><div class="what">${e(g.type)}${g.message ? `: ${e(g.message)}` : ''}</div>`
      + `<div class="count">${g.count} iteration${g.count === 1 ? '' : 's'} (${e(listed)})</div>`
      + (g.traceback ? `<details><summary>Traceback</summary><pre>${e(g.traceback)}</pre></details>` : '')
      + '</div>';
  });
  const more = groups.length > maxGroups ? `<p class="muted">${groups.length - maxGroups} more kinds of failure not shown.</p>` : '';
  return `<h3>Failures <span class="muted">(${failedCount} iterations, ${groups.length} kind${groups.length === 1 ? '' : 's'})</span></h3>${shown.join('')}${more}`;
}

function hooksSection(hooks: readonly HookResults[], startTime: number | null): string {
  if (hooks.length === 0) return '';
  const rows = hooks.flatMap((hook) => {
    const action = Object.keys(hook.config?.action ?? {})[0] ?? '?';
    const trigger = JSON.stringify(hook.config?.trigger ?? {});
    const results = hook.results ?? [];
    if (results.length === 0) {
      return [`<tr><td>${e(action)}</td><td><code>${e(trigger)}</code></td><td colspan="4" class="muted">never triggered</td></tr>`];
    }
    return results.map((r) => {
      const ok = r.status === 'success';
      const started = startTime === null ? r.started_at : r.started_at - startTime;
      const error = r.error ? `${r.error.etype}: ${r.error.msg}` : '';
      return `<tr><td>${e(action)}</td><td>${e(r.triggered_by?.event_type)} ${e(r.triggered_by?.value)}</td>`
        + `<td>${ok ? '<span class="mark pass">✓</span> success' : '<span class="mark fail">✗</span> failed'}</td>`
        + `<td class="num">${e(startTime === null ? seconds(started) : `+${seconds(started)}`)}</td>`
        + `<td class="num">${e(seconds(r.finished_at - r.started_at))}</td>`
        + `<td>${e(error)}${r.error?.details ? `<details><summary>details</summary><pre>${e(r.error.details)}</pre></details>` : ''}</td></tr>`;
    });
  });
  return `<h3>Hooks</h3>${table(['Hook', 'Triggered by', 'Status', 'Started', 'Duration', 'Error'], rows, [3, 4])}`;
}

function contextsSection(summary: WorkloadView['summary']): string {
  const contexts = summary.contextsResults ?? [];
  if (contexts.length === 0) return '';
  const phase = (p: { started_at: number; finished_at: number } | undefined): string =>
    p && Number.isFinite(p.started_at) && Number.isFinite(p.finished_at) && p.finished_at >= p.started_at ? seconds(p.finished_at - p.started_at) : 'n/a';
  const rows = contexts.map((c) => {
    const errors = [c.setup?.error, c.cleanup?.error]
      .filter((x): x is NonNullable<typeof x> => !!x)
      .map((x) => `<div>${e(x.etype)}: ${e(x.msg)}</div>${x.traceback ? `<details><summary>Traceback</summary><pre>${e(x.traceback)}</pre></details>` : ''}`)
      .join('');
    return `<tr><td>${e(c.plugin_name)}</td><td class="num">${e(phase(c.setup))}</td><td class="num">${e(phase(c.cleanup))}</td><td>${errors}</td></tr>`;
  });
  return `<h3>Contexts</h3>${table(['Context', 'Setup', 'Cleanup', 'Error'], rows, [1, 2])}`;
}

function outputBlock(workloadId: string, chart: OutputChartData, index: number, chartKind: string): { drawn?: string; flat?: string } {
  const caption = chart.title || 'output';
  const lead = chart.description ? `<p class="lead">${e(chart.description)}</p>` : '';
  switch (chart.kind) {
    case 'lines':
    case 'stacked':
      return { drawn: chartBox(workloadId, chartKind, caption, chart.description, index) };
    case 'bars': {
      const max = Math.max(...chart.rows.map((r) => Math.abs(r[1])), 1e-12);
      const rows = chart.rows.map(
        ([name, value]) => `<tr><td>${e(name)}</td><td class="num">${e(value)}</td><td style="width:45%"><div class="bar" style="width:${((Math.abs(value) / max) * 100).toFixed(1)}%"></div></td></tr>`,
      );
      return { flat: `<h4>${e(caption)}</h4>${lead}${table(['Name', 'Value', ''], rows, [1])}` };
    }
    case 'table': {
      const rows = chart.rows.map((r) => `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${e(v ?? '')}</td>`).join('')}</tr>`);
      return { flat: `<h4>${e(caption)}</h4>${lead}${table(chart.cols, rows)}` };
    }
    case 'text':
      return { flat: `<h4>${e(caption)}</h4>${lead}<pre class="wrap">${e(chart.lines.join('\n'))}</pre>` };
  }
}

function outputBlocks(workloadId: string, entries: ReadonlyArray<[number, OutputChartData]>, chartKind: string): string {
  const blocks = entries.map(([index, chart]) => outputBlock(workloadId, chart, index, chartKind));
  const drawn = blocks.flatMap((b) => (b.drawn ? [b.drawn] : []));
  return `${drawn.length ? `<div class="charts">${drawn.join('')}</div>` : ''}${blocks.flatMap((b) => (b.flat ? [b.flat] : [])).join('')}`;
}

/**
 * Additive charts first; complete ones per source (iteration or hook run) with a chooser, one
 * source shown at a time like Rally's iteration selector.
 */
function outputSection(workloadId: string, heading: string, charts: readonly OutputChartData[], chartKind: string, sourceName: string, skipped = 0): string {
  if (charts.length === 0) return '';
  const additive = [...charts.entries()].filter(([, c]) => c.source === undefined);
  const bySource = new Map<number, Array<[number, OutputChartData]>>();
  for (const [index, chart] of charts.entries()) {
    if (chart.source === undefined) continue;
    const list = bySource.get(chart.source) ?? [];
    list.push([index, chart]);
    bySource.set(chart.source, list);
  }
  let complete = '';
  if (bySource.size > 0) {
    const sources = [...bySource.keys()];
    const options = sources.map((n) => `<option value="${n}">${e(sourceName)} ${n}</option>`).join('');
    const more = skipped > 0 ? ` <span class="muted">(${skipped} more ${e(sourceName)}s with complete output not included)</span>` : '';
    complete = `<h4>Complete output of <select class="complete-choice" aria-label="complete output of">${options}</select>${more}</h4>`
      + sources.map((n, i) => `<div class="complete-output" data-source="${n}"${i === 0 ? '' : ' hidden'}>${outputBlocks(workloadId, bySource.get(n)!, chartKind)}</div>`).join('');
  }
  return `<h3>${e(heading)}</h3>${outputBlocks(workloadId, additive, chartKind)}<div class="complete-outputs">${complete}</div>`;
}

/** A symbol with every verdict word, so the direction never depends on colour alone. */
const VERDICT_SYMBOLS: Record<ComparisonMetric['verdict'], string> = {
  better: '▼', unchanged: '=', worse: '▲', regression: '▲', waived: '▲', 'not-enough-data': '?',
};

function comparisonSection(workload: WorkloadView, baselineLabel: string): string {
  // The gate fills options.comparison; without it this place stays empty (and hidden).
  const comparison = workload.comparison;
  if (!comparison) return '<!-- baseline comparison: rendered when options.comparison is given -->';
  const rows = comparison.metrics.map((m) => {
    const interval = m.interval ? `${signedPercent(m.interval[0])} … ${signedPercent(m.interval[1])}` : '';
    const change = m.change === undefined || !Number.isFinite(m.change) ? 'n/a' : signedPercent(m.change);
    return `<tr><td>${e(m.name)}</td><td>${e(m.statistic)}</td><td class="num">${e(seconds(m.baseline))}</td><td class="num">${e(seconds(m.current))}</td>`
      + `<td class="num"><span class="change ${e(m.verdict)}">${e(change)}</span></td><td class="num">${e(interval)}</td>`
      + `<td><span class="change ${e(m.verdict)}">${VERDICT_SYMBOLS[m.verdict]} ${e(m.verdict.replace(/-/g, ' '))}</span>${m.note ? ` <span class="muted">${e(m.note)}</span>` : ''}</td></tr>`;
  });
  const chart = workload.chartData.comparison
    ? `<div class="charts">${chartBox(workload.id, 'comparison', 'Durations: current vs baseline', 'successful iterations')}</div>`
    : '';
  return `<section class="comparison" data-section="baseline-comparison"><h3>Compared with the baseline <span class="muted">(${e(baselineLabel)})</span></h3>`
    + `${table(['Metric', 'Statistic', 'Baseline', 'Current', 'Change', 'Interval', 'Verdict'], rows, [2, 3, 4, 5])}${chart}</section>`;
}

function workloadSection(view: WorkloadView, page: PageView, taskIndex: number): string {
  const { summary, config, analysis, id } = view;
  const scenario = scenarioName(config);
  const failureRate = summary.totalIterationCount > 0 ? summary.failedIterationCount / summary.totalIterationCount : 0;
  const notices: string[] = [];
  if (summary.aborted) notices.push(`<div class="notice">The workload was stopped early (${e(summary.aborted === 'sla' ? 'an SLA failed with --abort-on-sla-failure' : 'interrupted')}).</div>`);
  if (summary.unexpectedFailure) {
    const f = summary.unexpectedFailure;
    notices.push(`<div class="notice"><strong>The workload could not run to its end:</strong> ${e(f.etype)}: ${e(f.msg)}${f.traceback ? `<details><summary>Traceback</summary><pre>${e(f.traceback)}</pre></details>` : ''}</div>`);
  }
  const histogramChoice = analysis.histograms.length > 1
    ? `<select class="histogram-choice" aria-label="histogram of">${analysis.histograms.map((h, i) => `<option value="${i}">${e(h.label)}</option>`).join('')}</select>`
    : '';
  return `<section class="tab workload" id="${e(id)}" data-scenario="${e(scenario)}">
<div style="display:flex;gap:12px;align-items:center;flex-wrap:wrap"><h2>${e(scenario)}</h2>${verdictBadge(summary.passSla)}</div>
<p class="lead">${e([page.tasks.length > 1 ? `task ${taskIndex + 1}` : '', view.subtaskTitle && view.subtaskTitle !== scenario ? `subtask "${view.subtaskTitle}"` : '', `workload ${summary.position + 1}`].filter(Boolean).join(' · '))}${view.description ? `\n${e(view.description)}` : ''}</p>
${notices.join('')}
<div class="cards">
${card('Iterations', e(summary.totalIterationCount))}
${card('Failed', `${e(summary.failedIterationCount)} <span class="muted" style="font-size:13px">(${e(percent(failureRate))})</span>`)}
${card('Load duration', e(seconds(summary.loadDuration)))}
${card('Full duration', e(seconds(summary.fullDuration)))}
${card('Runner', e(runnerSummary(config)), true)}
</div>
${comparisonSection(view, page.comparison?.baselineLabel ?? '')}
<h3>Service-level agreement</h3>
${slaTable(summary.slaResults ?? [])}
<h3>Statistics</h3>
${statisticsTable(view.statistics)}
<h3>Charts</h3>
<div class="charts">
${chartBox(id, 'durations', 'Durations per iteration', analysis.iterationCount > 1000 ? 'min and max per group of iterations' : '')}
${chartBox(id, 'atomics', 'Atomic actions, stacked per iteration', analysis.iterationCount > 1000 ? 'mean per group of iterations' : '')}
${chartBox(id, 'load', 'Load profile', 'iterations running at once')}
${chartBox(id, 'histogram', 'Distribution of durations', 'successful iterations', 0, histogramChoice)}
</div>
${failuresSection(analysis.failures, analysis.failedCount, page.maxFailureGroups)}
${hooksSection(summary.hooks ?? [], summary.startTime)}
${outputSection(id, 'Hook output', view.hookOutputs, 'hook-output', 'hook run')}
${outputSection(id, 'Scenario output', analysis.outputs, 'output', 'iteration', analysis.skippedCompleteOutputs)}
${contextsSection(summary)}
<h3>Configuration</h3>
<details><summary>Workload as run (Rally's normalised form)</summary><pre>${e(JSON.stringify(config, null, 2))}</pre></details>
</section>`;
}

/** The names of the criteria that failed, under the verdict of a workload in the overview. */
function failedCriteria(results: readonly SlaResult[]): string {
  const failed = results.filter((r) => !r.success).map((r) => r.criterion);
  return failed.length ? `<div class="muted" style="font-size:12px;margin-top:2px">${e(failed.join(', '))}</div>` : '';
}

function overviewSection(page: PageView): string {
  const blocks = page.tasks.map((task, taskIndex) => {
    const rows = task.workloads.map((w) => {
      const s = w.summary;
      return `<tr><td class="num">${s.subtaskIndex + 1}.${s.position + 1}</td><td><a href="#${e(w.id)}">${e(scenarioName(w.config))}</a></td>`
        + `<td>${e(runnerSummary(w.config))}</td><td class="num">${e(s.totalIterationCount)}</td><td class="num">${e(s.failedIterationCount)}</td>`
        + `<td class="num">${e(seconds(s.loadDuration))}</td><td class="num">${e(seconds(s.fullDuration))}</td><td>${verdictBadge(s.passSla)}${failedCriteria(s.slaResults ?? [])}</td></tr>`;
    });
    const heading = page.tasks.length > 1 ? `<h3>Task ${taskIndex + 1}: ${e(task.title || task.uuid)} ${verdictBadge(task.passSla)}</h3>` : '';
    const meta = [`task ${task.uuid}`, `status ${task.status}`, task.envName ? `environment ${task.envName}` : '', task.createdAt ? `started ${task.createdAt}` : '']
      .filter(Boolean)
      .join(' · ');
    return `${heading}<p class="lead">${e(meta)}${task.description ? `\n${e(task.description)}` : ''}</p>`
      + table(['#', 'Scenario', 'Runner', 'Iterations', 'Failed', 'Load duration', 'Full duration', 'SLA'], rows, [0, 3, 4, 5, 6])
      + `<details><summary>Task configuration</summary><pre>${e(JSON.stringify(task.task, null, 2))}</pre></details>`;
  });
  const all = page.tasks.flatMap((t) => t.workloads);
  const passed = all.filter((w) => w.summary.passSla).length;
  return `<section class="tab" id="overview"><h2>Overview</h2>
<div class="cards">${card('Workloads', `${passed} of ${all.length} passed`)}${card('Iterations', e(all.reduce((n, w) => n + w.summary.totalIterationCount, 0)))}${card('Failed iterations', e(all.reduce((n, w) => n + w.summary.failedIterationCount, 0)))}</div>
${blocks.join('')}</section>`;
}

function navigation(page: PageView): string {
  const items = page.tasks.map((task, taskIndex) => {
    const group = page.tasks.length > 1 ? `<div class="group">Task ${taskIndex + 1}</div>` : '<div class="group">Workloads</div>';
    const links = task.workloads.map((w) => {
      const mark = w.summary.passSla ? '<span class="mark pass" title="passed">✓</span>' : '<span class="mark fail" title="failed">✗</span>';
      return `<a href="#${e(w.id)}">${mark}<span>${e(scenarioName(w.config))}</span></a>`;
    });
    return group + links.join('');
  });
  return `<nav class="workloads" aria-label="workloads"><a href="#overview"><span class="mark">≡</span><span>Overview</span></a>${items.join('')}</nav>`;
}

export function renderPage(page: PageView): string {
  const pass = page.tasks.every((t) => t.passSla);
  const data: ReportPageData = { workloads: page.tasks.flatMap((t) => t.workloads.map((w) => w.chartData)) };
  const gate = page.comparison?.verdict
    ? `<span class="verdict ${page.comparison.verdict === 'pass' ? 'pass' : 'fail'}" data-verdict="baseline-${page.comparison.verdict}">${page.comparison.verdict === 'pass' ? '✓' : '✗'} baseline</span>`
    : '';
  const total = page.tasks.reduce((n, t) => n + t.workloads.length, 0);
  return pageDocument({
    title: page.title,
    badges: `${verdictBadge(pass, true)}${gate}`,
    meta: `${total} workload${total === 1 ? '' : 's'} · ${pass ? 'every SLA criterion passed' : 'at least one SLA criterion failed'}`,
    nav: navigation(page),
    main: `${overviewSection(page)}
${page.tasks.map((task, i) => task.workloads.map((w) => workloadSection(w, page, i)).join('\n')).join('\n')}`,
    generatedAt: page.generatedAt,
    data,
    script: CLIENT_SCRIPT,
  });
}

/** The frame every page shares: inlined chart library and styles, header, navigation, main, data, script. */
export interface PageDocument {
  title: string;
  /** HTML of the verdict badges at the left of the header */
  badges: string;
  /** plain text under the title */
  meta: string;
  /** HTML of the left navigation and of the tabs */
  nav: string;
  main: string;
  generatedAt: Date;
  /** embedded as JSON for the browser script */
  data: unknown;
  script: string;
}

export function pageDocument(page: PageDocument): string {
  const assets = chartLibraryAssets();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rally-gate">
<title>${e(page.title)}</title>
<style>${inlineAsset(assets.style, 'style')}</style>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="page">
${page.badges}
<div><h1>${e(page.title)}</h1><div class="meta">${e(page.meta)}</div></div>
</header>
<div class="layout">
${page.nav}
<main>
${page.main}
</main>
</div>
<footer>Generated by rally-gate on ${e(page.generatedAt.toISOString().replace('T', ' ').slice(0, 19))} UTC · charts: uPlot (MIT)</footer>
<script id="report-data" type="application/json">${jsonForScript(page.data)}</script>
<script>${inlineAsset(assets.script, 'script')}</script>
<script>${inlineAsset(page.script, 'script')}</script>
</body>
</html>
`;
}
