/**
 * What the gate writes besides the task reports: verdict.json (machine-readable), summary.md (the
 * text the PR comment and job summary use) and the gate's JUnit test cases.
 *
 * Everything that comes from input (scenario names, subtask titles, SLA details, waiver reasons) is
 * escaped for markdown and HTML before it reaches summary.md: a task file cannot inject links,
 * mentions, images or markup into a PR comment.
 */
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { xmlSafe } from '../report/junit.js';
import type { Comparison, GateJudgement, WorkloadIdentity } from './compare.js';
import type { Waiver } from './settings.js';

// The package's CommonJS module.exports *is* the builder; TypeScript's NodeNext view puts it under `default`.
const rootBuilder = ((junitReportBuilder as unknown as { default?: Builder }).default ?? junitReportBuilder) as unknown as Builder;

/** Hidden marker that finds the gate's PR comment again (to update it in place). */
export const SUMMARY_MARKER = '<!-- rally-gate-summary -->';

export interface GateReportContext {
  /** baseline description: store, how chosen, how many runs */
  baseline: string;
  /** whether this run stored a baseline, and why (not) */
  storeNote: string;
  commit?: string;
  branch?: string;
  /** links to full reports (relative file names or URLs) */
  links?: { label: string; href: string }[];
  /** the Tempest verification's outcome, when the run had one (its details follow the summary) */
  verification?: VerificationVerdict;
}

/** What the verdict line says of a Tempest verification. */
export interface VerificationVerdict {
  passed: boolean;
  /** failing tests: fail, uxsuccess and class-level failures */
  failures: number;
}

/** Escapes text for a markdown table cell or paragraph (GitHub flavoured), also neutralising HTML. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    // ':' too, so that input cannot spell emoji shortcodes; markdown first, entities (which contain '#') after
    .replace(/([\\`*_{}\[\]()#+\-.!|~:])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/@/g, '&#64;'); // no @mentions
}

export function workloadLabel(w: WorkloadIdentity, action?: string): string {
  const base = `${w.scenario}[${w.position}]`;
  return action === undefined ? base : `${base} ${action}`;
}

function seconds(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${value.toFixed(0)} s`;
  if (value >= 1) return `${value.toPrecision(3)} s`;
  return `${(value * 1000).toPrecision(3)} ms`;
}

export function percentChange(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return 'n/a';
  const change = (ratio - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
}

function verdictText(c: Comparison): string {
  const waived = c.waiver ? ' (waived)' : '';
  switch (c.kind) {
    case 'regression':
      return `:x: regression${waived}`;
    case 'improvement':
      return ':rocket: improvement';
    case 'no-change':
      return 'no change';
    default:
      return ':grey_question: not enough data';
  }
}

export interface VerdictCounts {
  workloads: number;
  regressions: number;
  waivedRegressions: number;
  improvements: number;
  notEnoughData: number;
  newFailures: number;
  slaFailures: number;
  slaChanges: number;
}

export function countVerdicts(judgement: GateJudgement): VerdictCounts {
  const c = judgement.comparisons;
  return {
    workloads: c.filter((x) => x.action === undefined).length,
    regressions: c.filter((x) => x.kind === 'regression' && !x.waiver).length,
    waivedRegressions: c.filter((x) => x.kind === 'regression' && x.waiver).length,
    improvements: c.filter((x) => x.kind === 'improvement').length,
    notEnoughData: c.filter((x) => x.kind === 'not-enough-data').length,
    newFailures: judgement.failureChanges.filter((f) => !f.waiver).length,
    slaFailures: judgement.slaFailures.length,
    slaChanges: judgement.slaChanges.length,
  };
}

export function verdictLine(judgement: GateJudgement, verification?: VerificationVerdict): string {
  const n = countVerdicts(judgement);
  const passed = judgement.passed && (verification?.passed ?? true);
  const parts = [
    ...(verification ? [`Tempest ${verification.passed ? 'passed' : `failed (${verification.failures} failing test${verification.failures === 1 ? '' : 's'})`}`] : []),
    `${n.regressions} regression${n.regressions === 1 ? '' : 's'}`,
    `${n.slaFailures} SLA failure${n.slaFailures === 1 ? '' : 's'}`,
    `${n.newFailures} new failure${n.newFailures === 1 ? '' : 's'}`,
    `${n.improvements} improvement${n.improvements === 1 ? '' : 's'}`,
  ];
  if (n.notEnoughData > 0) parts.push(`${n.notEnoughData} without enough data`);
  return `${passed ? ':white_check_mark: **rally-gate: passed**' : ':x: **rally-gate: failed**'}: ${parts.join(', ')} (${n.workloads} workload${n.workloads === 1 ? '' : 's'}, ${judgement.baselineRuns} baseline run${judgement.baselineRuns === 1 ? '' : 's'})`;
}

function comparisonRow(c: Comparison): string {
  const interval = c.interval ? `${percentChange(c.interval[0])} … ${percentChange(c.interval[1])}` : '';
  const cells = [
    escapeMarkdown(workloadLabel(c.workload, c.action)),
    escapeMarkdown(c.workload.subtask),
    seconds(c.baselineMedian),
    seconds(c.currentMedian),
    percentChange(c.ratio),
    interval,
    verdictText(c),
  ];
  return `| ${cells.join(' | ')} |`;
}

function waiverText(w: Waiver): string {
  const match = Object.entries(w.match).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${escapeMarkdown(match)}${w.action ? ` action ${escapeMarkdown(w.action)}` : ''}: ${escapeMarkdown(w.reason)}${w.expires ? ` (expires ${escapeMarkdown(w.expires)})` : ''}`;
}

/** The markdown for the PR comment and the job summary. */
export function renderSummaryMarkdown(judgement: GateJudgement, context: GateReportContext): string {
  const lines: string[] = [SUMMARY_MARKER, verdictLine(judgement, context.verification), ''];
  const confidence = judgement.comparisons[0]?.confidence ?? 0.95;
  const header = `| Workload | Subtask | Baseline median | Current median | Change | ${Math.round(confidence * 100)}% interval | Verdict |`;
  const workloads = judgement.comparisons.filter((c) => c.action === undefined);
  if (workloads.length > 0) {
    lines.push(header, '|---|---|---:|---:|---:|---:|---|', ...workloads.map(comparisonRow), '');
  }
  if (judgement.slaFailures.length > 0) {
    lines.push('**SLA failures**', '');
    for (const f of judgement.slaFailures) {
      const changed = judgement.slaChanges.some((s) => s.workload === f.workload && s.criterion === f.criterion) ? ' (passed in the baseline)' : '';
      lines.push(`- ${escapeMarkdown(workloadLabel(f.workload))} ${escapeMarkdown(f.criterion)}${changed}: ${escapeMarkdown(f.detail)}`);
    }
    lines.push('');
  }
  if (judgement.failureChanges.length > 0) {
    lines.push('**New failures**', '');
    for (const f of judgement.failureChanges) {
      lines.push(`- ${escapeMarkdown(workloadLabel(f.workload, f.action))}: ${f.currentFailures} of ${f.currentCount} iterations failed (${f.currentPercent.toFixed(1)}%; baseline ${f.baselinePercent.toFixed(1)}%)${f.waiver ? ' (waived)' : ''}`);
    }
    lines.push('');
  }

  lines.push('<details><summary>Details</summary>', '');
  const actions = judgement.comparisons.filter((c) => c.action !== undefined);
  if (actions.length > 0) {
    lines.push('Atomic actions:', '', header, '|---|---|---:|---:|---:|---:|---|', ...actions.map(comparisonRow), '');
  }
  const notes = judgement.comparisons.filter((c) => c.kind === 'not-enough-data' && c.note);
  if (notes.length > 0) {
    lines.push('Not enough data:', '');
    for (const c of notes) lines.push(`- ${escapeMarkdown(workloadLabel(c.workload, c.action))}: ${escapeMarkdown(c.note ?? '')}`);
    lines.push('');
  }
  const waived = [...judgement.comparisons.filter((c) => c.waiver), ...judgement.failureChanges.filter((f) => f.waiver)];
  if (waived.length > 0) {
    lines.push('Waived:', '');
    for (const w of waived) lines.push(`- ${escapeMarkdown(workloadLabel(w.workload, w.action))}: ${waiverText(w.waiver!)}`);
    lines.push('');
  }
  if (judgement.expiredWaivers.length > 0) {
    lines.push('Expired waivers (no longer applied; remove or renew them):', '');
    for (const w of judgement.expiredWaivers) lines.push(`- ${waiverText(w)}`);
    lines.push('');
  }
  lines.push(`Baseline: ${escapeMarkdown(context.baseline)}`, '');
  if (context.commit || context.branch) lines.push(`Measured: ${escapeMarkdown([context.branch, context.commit?.slice(0, 12)].filter(Boolean).join(' @ '))}`, '');
  lines.push(`Baseline store: ${escapeMarkdown(context.storeNote)}`, '');
  lines.push(
    'Method: median ratio with a seeded hierarchical bootstrap over baseline runs and iterations (between-run noise included), Holm-adjusted over all comparisons; a regression needs both significance and the practical threshold.',
    '',
  );
  for (const link of context.links ?? []) lines.push(`- [${escapeMarkdown(link.label)}](${encodeURI(link.href).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)})`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}

/** verdict.json: the judgement plus counts, stable keys for machines (the GitHub Action reads it). */
export function renderVerdictJson(judgement: GateJudgement, context: GateReportContext & { exitCode: number }): string {
  return `${JSON.stringify({ format: 1, exitCode: context.exitCode, counts: countVerdicts(judgement), context, ...judgement }, null, 2)}\n`;
}

/** Adds one <testsuite name="rally-gate verdicts"> with a case per comparison, new-failure flag and SLA change. */
export function renderGateJUnitSuite(judgement: GateJudgement): string {
  const builder = rootBuilder.newBuilder();
  const suite = builder.testSuite().name('rally-gate verdicts');
  for (const c of judgement.comparisons) {
    const name = xmlSafe(`${workloadLabel(c.workload, c.action)}.baseline`);
    const test = suite.testCase().className(xmlSafe(c.workload.scenario)).name(name).time(0);
    const detail = `median ${percentChange(c.ratio)} (interval ${c.interval ? c.interval.map(percentChange).join(' .. ') : 'n/a'}), adjusted p ${c.adjustedPValue?.toPrecision(3) ?? 'n/a'}, threshold ${c.thresholdPercent}%`;
    if (c.kind === 'regression' && !c.waiver) test.failure(xmlSafe(`regression: ${detail}`));
    else if (c.kind === 'not-enough-data') test.skipped().standardOutput(xmlSafe(`not enough data: ${c.note ?? ''}`));
    else test.standardOutput(xmlSafe(`${c.kind}${c.waiver ? ` (waived: ${c.waiver.reason})` : ''}: ${detail}`));
  }
  for (const f of judgement.failureChanges) {
    const test = suite.testCase().className(xmlSafe(f.workload.scenario)).name(xmlSafe(`${workloadLabel(f.workload, f.action)}.failures`)).time(0);
    const text = `failure rate ${f.currentPercent.toFixed(1)}% (baseline ${f.baselinePercent.toFixed(1)}%)`;
    if (f.waiver) test.standardOutput(xmlSafe(`${text}; waived: ${f.waiver.reason}`));
    else test.failure(xmlSafe(`new failures: ${text}`));
  }
  return builder.build();
}

/** Merges the gate's suite into the task JUnit document (one <testsuites> root, counts summed). */
export function mergeJUnit(taskXml: string, gateXml: string): string {
  const suites = (xml: string) => {
    const match = /<testsuites\b[^>]*>([\s\S]*)<\/testsuites>/.exec(xml);
    return match ? match[1]!.replace(/^\n|\n$/g, '') : '';
  };
  const count = (xml: string, attribute: string) => Number(new RegExp(`<testsuites\\b[^>]*\\b${attribute}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const totals = ['tests', 'failures', 'errors', 'skipped'].map((a) => `${a}="${count(taskXml, a) + count(gateXml, a)}"`).join(' ');
  const body = [suites(taskXml), suites(gateXml)].filter((s) => s.trim() !== '').join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${totals}>\n${body}\n</testsuites>`;
}
