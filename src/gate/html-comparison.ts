/**
 * The gate's judgement as the HTML report's baseline comparison (`HtmlComparison`): per workload of
 * one task, a row per compared series (the whole iteration, then each atomic action) with baseline
 * and current medians, the change and its interval, the verdict and the threshold that applied, plus
 * both duration distributions for the overlaid histogram. Pure: everything comes from the arguments.
 */
import { workloadHash } from '../baseline/hash.js';
import { expandDurations } from '../baseline/summarize.js';
import type { BaselineRun, SeriesSummary, WorkloadBaseline } from '../baseline/types.js';
import type { ComparisonMetric, HtmlComparison, WorkloadComparison } from '../report/html/types.js';
import type { WorkloadConfig } from '../task/types.js';
import type { Comparison, GateJudgement } from './compare.js';
import { median } from './stats.js';

/** The task whose page is being written: its file (as the gate names it) and its workloads in run order. */
export interface ComparedTask {
  /** the task file as given to summarizeRun (GateTaskRun.file); comparisons name workloads by it */
  file: string;
  subtasks: ReadonlyArray<{ workloads: ReadonlyArray<{ config: WorkloadConfig; summary: { subtaskIndex: number; position: number } }> }>;
}

export interface HtmlComparisonInput {
  judgement: GateJudgement;
  /** the current run, summarised (what judge() was given) */
  current: BaselineRun;
  /** the baseline runs judge() was given (BaselineSelection.runs) */
  baselineRuns: readonly BaselineRun[];
  /** the tasks of the page, in the order given to writeHtmlReport (GateTaskRun: { file, record }) */
  tasks: readonly ComparedTask[];
  /** how the baseline is described in the page; default from the runs: "main@3f2c1a0, 5 runs" */
  baselineLabel?: string;
}

/** "main@3f2c1a0, 5 runs" (newest run first), or "no baseline runs". */
export function describeBaselineRuns(runs: readonly BaselineRun[]): string {
  if (runs.length === 0) return 'no baseline runs';
  const newest = [...runs].sort((a, b) => b.time.localeCompare(a.time))[0]!;
  const branches = [...new Set(runs.map((r) => r.branch))];
  const where = `${branches.length === 1 ? branches[0] : branches.join('+')}@${newest.commit.slice(0, 7)}`;
  return `${where}, ${runs.length} run${runs.length === 1 ? '' : 's'}`;
}

function metricVerdict(c: Comparison): ComparisonMetric['verdict'] {
  switch (c.kind) {
    case 'regression':
      return c.waiver ? 'waived' : 'regression';
    case 'improvement':
      return 'better';
    case 'not-enough-data':
      return 'not-enough-data';
    default:
      // Not flagged: still say which way it moved past the practical threshold, without the alarm.
      return c.ratio !== undefined && c.ratio >= 1 + c.thresholdPercent / 100 ? 'worse' : 'unchanged';
  }
}

function metricNote(c: Comparison): string {
  const parts: string[] = [];
  if (c.kind === 'not-enough-data' && c.note) parts.push(c.note);
  else parts.push(`threshold +${c.thresholdPercent} %`);
  if (c.waiver) parts.push(`waived: ${c.waiver.reason}`);
  if (c.kind !== 'not-enough-data') parts.push(`${c.baselineRuns} run${c.baselineRuns === 1 ? '' : 's'}, ${c.baselineSamples} vs ${c.currentSamples} iterations`);
  return parts.join('; ');
}

/** The baseline level as the gate defines it: geometric mean of the runs' medians. */
function baselineLevel(series: readonly SeriesSummary[]): number | undefined {
  const medians = series.map((s) => median(expandDurations(s.durations))).filter((m) => Number.isFinite(m) && m > 0);
  if (medians.length === 0) return undefined;
  return Math.exp(medians.reduce((sum, m) => sum + Math.log(m), 0) / medians.length);
}

function finiteOrUndefined(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

function metricOf(c: Comparison, current: SeriesSummary | undefined, baseline: readonly SeriesSummary[]): ComparisonMetric {
  // judge() leaves medians out when there was not enough data; show what there is anyway.
  const currentMedian = c.currentMedian ?? (current ? finiteOrUndefined(median(expandDurations(current.durations))) : undefined);
  const baselineMedian = c.baselineMedian ?? baselineLevel(baseline);
  const change = c.ratio !== undefined ? c.ratio - 1 : currentMedian !== undefined && baselineMedian ? currentMedian / baselineMedian - 1 : undefined;
  return {
    name: c.action ?? 'total',
    statistic: 'median',
    ...(currentMedian !== undefined ? { current: currentMedian } : {}),
    ...(baselineMedian !== undefined ? { baseline: baselineMedian } : {}),
    ...(change !== undefined ? { change } : {}),
    ...(c.interval ? { interval: [c.interval[0] - 1, c.interval[1] - 1] as [number, number] } : {}),
    verdict: metricVerdict(c),
    note: metricNote(c),
  };
}

/** Successful durations of a series as the report's histogram takes them (quantile form: its 1001 quantiles). */
function durationsOf(series: readonly SeriesSummary[]): number[] {
  return series.flatMap((s) => expandDurations(s.durations));
}

/**
 * The comparison sections of a gate run's HTML report. Workloads are matched to comparisons by their
 * task file, hash and order among equal hashes, as judge() matched them to the baseline.
 */
export function buildHtmlComparison(input: HtmlComparisonInput): HtmlComparison {
  const { judgement, current, baselineRuns } = input;
  return {
    baselineLabel: input.baselineLabel ?? describeBaselineRuns(baselineRuns),
    verdict: judgement.passed ? 'pass' : 'fail',
    workloads: input.tasks.flatMap((task, taskIndex) => taskComparisons(judgement, current, baselineRuns, task, taskIndex)),
  };
}

function taskComparisons(judgement: GateJudgement, current: BaselineRun, baselineRuns: readonly BaselineRun[], task: ComparedTask, taskIndex: number): WorkloadComparison[] {
  const currentOfTask = current.workloads.filter((w) => w.task === task.file);
  const workloads: WorkloadComparison[] = [];
  const seen = new Map<string, number>();
  for (const subtask of task.subtasks) {
    for (const workload of subtask.workloads) {
      const hash = workloadHash(workload.config);
      const occurrence = seen.get(hash) ?? 0;
      seen.set(hash, occurrence + 1);
      const summarised = currentOfTask.filter((w) => w.hash === hash)[occurrence];
      if (!summarised) continue;
      // judge() counts occurrences over the whole gate run; the same index within it finds the baseline's.
      const runOccurrence = current.workloads.filter((w) => w.hash === hash).indexOf(summarised);
      const before = baselineRuns
        .map((run) => run.workloads.filter((w) => w.hash === hash)[runOccurrence])
        .filter((w): w is WorkloadBaseline => w !== undefined);
      const comparisons = judgement.comparisons.filter(
        (c) => c.workload.hash === hash && c.workload.task === task.file && c.workload.position === summarised.position && c.workload.subtask === summarised.subtask,
      );
      if (comparisons.length === 0) continue; // ignored by the settings
      const metrics = comparisons.map((c) =>
        c.action === undefined
          ? metricOf(c, summarised.total, before.map((b) => b.total))
          : metricOf(c, summarised.actions[c.action], before.map((b) => b.actions[c.action!]).filter((s): s is SeriesSummary => s !== undefined)),
      );
      const baselineDurations = durationsOf(before.map((b) => b.total));
      workloads.push({
        ...(taskIndex > 0 ? { taskIndex } : {}),
        subtaskIndex: workload.summary.subtaskIndex,
        position: workload.summary.position,
        metrics,
        ...(baselineDurations.length > 0 ? { distributions: { current: durationsOf([summarised.total]), baseline: baselineDurations } } : {}),
      });
    }
  }
  return workloads;
}
