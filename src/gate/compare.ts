/**
 * Verdicts: the current run against its baseline runs, per workload and per atomic action.
 *
 * A comparison is a regression when the change is both statistically significant (Holm-adjusted
 * p below 1 - confidence, over every comparison of this gate run) and practically significant (the
 * median ratio at least 1 + threshold). Improvements mirror that. Failure rates and SLA criteria
 * are judged alongside: more failures than the baseline ever had, or a criterion that passed in the
 * baseline and fails now, are flagged too. Waivers turn a verdict into "waived" (reported, not failing).
 */
import { durationCount, expandDurations } from '../baseline/summarize.js';
import type { BaselineRun, SeriesSummary, WorkloadBaseline } from '../baseline/types.js';
import { activeWaivers, matchesWorkload, thresholdsFor, type GateSettings, type Thresholds, type Waiver } from './settings.js';
import { benjaminiHochbergAdjust, fisherGreater, holmAdjust, medianRatioTest, seedFromString } from './stats.js';

export type VerdictKind = 'regression' | 'improvement' | 'no-change' | 'not-enough-data';

export interface WorkloadIdentity {
  hash: string;
  task: string;
  subtask: string;
  scenario: string;
  position: number;
}

export interface Comparison {
  workload: WorkloadIdentity;
  /** atomic action name; undefined for the workload's total duration */
  action?: string;
  kind: VerdictKind;
  /** why "not enough data" (or other notes) */
  note?: string;
  /** current median / baseline median */
  ratio?: number;
  interval?: [number, number];
  pValue?: number;
  adjustedPValue?: number;
  baselineMedian?: number;
  currentMedian?: number;
  /** between-run noise used, relative (0.03 = 3%) */
  betweenRunNoise?: number;
  baselineRuns: number;
  baselineSamples: number;
  currentSamples: number;
  thresholdPercent: number;
  confidence: number;
  /** set when a waiver covers this comparison (then a regression does not fail the gate) */
  waiver?: Waiver;
}

export interface FailureChange {
  workload: WorkloadIdentity;
  action?: string;
  /** failure rate of all baseline runs together, percent */
  baselinePercent: number;
  currentPercent: number;
  currentFailures: number;
  currentCount: number;
  waiver?: Waiver;
}

export interface SlaChange {
  workload: WorkloadIdentity;
  criterion: string;
  detail: string;
}

export interface SlaFailure {
  workload: WorkloadIdentity;
  criterion: string;
  detail: string;
}

export interface GateJudgement {
  comparisons: Comparison[];
  failureChanges: FailureChange[];
  /** criteria that passed in every baseline run that had them and fail now */
  slaChanges: SlaChange[];
  /** every failed criterion of the current run (the SLA verdict, as `task start` gives it) */
  slaFailures: SlaFailure[];
  expiredWaivers: Waiver[];
  baselineRuns: number;
  /** false when an SLA failed or an unwaived regression or new failures were found */
  passed: boolean;
}

export interface JudgeOptions {
  /** YYYY-MM-DD, to decide which waivers expired (default: today, UTC) */
  today?: string;
  /** bootstrap replicates per comparison (default 2000) */
  replicates?: number;
}

function identity(w: WorkloadBaseline): WorkloadIdentity {
  return { hash: w.hash, task: w.task, subtask: w.subtask, scenario: w.scenario, position: w.position };
}

function findWaiver(waivers: readonly Waiver[], workload: WorkloadIdentity, action: string | undefined): Waiver | undefined {
  return waivers.find((w) => matchesWorkload(w.match, workload) && (w.action === undefined || w.action === action));
}

interface PendingTest {
  comparison: Comparison;
  thresholds: Thresholds;
  baseline: number[][];
  current: number[];
  seed: number;
}

function prepare(
  workload: WorkloadIdentity,
  action: string | undefined,
  current: SeriesSummary,
  baseline: SeriesSummary[],
  thresholds: Thresholds,
  waiver: Waiver | undefined,
): { comparison: Comparison; test?: PendingTest } {
  const baselineSamples = baseline.reduce((n, s) => n + durationCount(s.durations), 0);
  const currentSamples = durationCount(current.durations);
  const comparison: Comparison = {
    workload,
    ...(action !== undefined ? { action } : {}),
    kind: 'not-enough-data',
    baselineRuns: baseline.length,
    baselineSamples,
    currentSamples,
    thresholdPercent: thresholds.regressionPercent,
    confidence: thresholds.confidence,
    ...(waiver ? { waiver } : {}),
  };
  if (baseline.length === 0) {
    comparison.note = 'no baseline run has this workload (new, or its config changed)';
    return { comparison };
  }
  if (baseline.length < thresholds.minBaselineRuns) {
    comparison.note = `${baseline.length} baseline run(s), ${thresholds.minBaselineRuns} needed`;
    return { comparison };
  }
  if (currentSamples < thresholds.minSamples || baselineSamples < thresholds.minSamples) {
    comparison.note = `${currentSamples} successful iteration(s) now, ${baselineSamples} in the baseline; ${thresholds.minSamples} needed on each side`;
    return { comparison };
  }
  return {
    comparison,
    test: {
      comparison,
      thresholds,
      baseline: baseline.filter((s) => durationCount(s.durations) > 0).map((s) => expandDurations(s.durations)),
      current: expandDurations(current.durations),
      seed: seedFromString(`${workload.hash}/${action ?? ''}`),
    },
  };
}

function failureChange(
  workload: WorkloadIdentity,
  action: string | undefined,
  current: SeriesSummary,
  baseline: SeriesSummary[],
  thresholds: Thresholds,
  waiver: Waiver | undefined,
): FailureChange | undefined {
  if (current.count === 0 || current.failures === 0 || baseline.length === 0) return undefined;
  const baselineFailures = baseline.reduce((n, s) => n + s.failures, 0);
  const baselineCount = baseline.reduce((n, s) => n + s.count, 0);
  const baselinePercent = baselineCount > 0 ? (100 * baselineFailures) / baselineCount : 0;
  const currentPercent = (100 * current.failures) / current.count;
  // Failures the baseline never had are new whatever their number; a higher share of failures that
  // happen anyway must be significant (one-sided Fisher exact test) and above the allowed increase.
  const appeared = baselineFailures === 0;
  const rose =
    currentPercent - baselinePercent > thresholds.failureRateIncreasePercent &&
    fisherGreater(current.failures, current.count, baselineFailures, baselineCount) < 1 - thresholds.confidence;
  if (!appeared && !rose) return undefined;
  return {
    workload,
    ...(action !== undefined ? { action } : {}),
    baselinePercent,
    currentPercent,
    currentFailures: current.failures,
    currentCount: current.count,
    ...(waiver ? { waiver } : {}),
  };
}

/** Judges a summarised current run against the chosen baseline runs. */
export function judge(current: BaselineRun, baselineRuns: readonly BaselineRun[], settings: GateSettings, options: JudgeOptions = {}): GateJudgement {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const { active, expired } = activeWaivers(settings, today);
  const comparisons: Comparison[] = [];
  const tests: PendingTest[] = [];
  const failureChanges: FailureChange[] = [];
  const slaChanges: SlaChange[] = [];
  const slaFailures: SlaFailure[] = [];

  for (const workload of current.workloads) {
    const id = identity(workload);
    for (const result of workload.sla) {
      if (!result.success) slaFailures.push({ workload: id, criterion: result.criterion, detail: result.detail });
    }
    // The same workload config may run twice in one gate run (two tasks): match by order among equals.
    const occurrence = current.workloads.filter((w) => w.hash === workload.hash).indexOf(workload);
    const matches = baselineRuns
      .map((run) => run.workloads.filter((w) => w.hash === workload.hash)[occurrence])
      .filter((w): w is WorkloadBaseline => w !== undefined);

    for (const result of workload.sla) {
      if (result.success) continue;
      const before = matches.map((m) => m.sla.find((s) => s.criterion === result.criterion)).filter((s) => s !== undefined);
      if (before.length > 0 && before.every((s) => s.success)) slaChanges.push({ workload: id, criterion: result.criterion, detail: result.detail });
    }

    const workloadThresholds = thresholdsFor(settings, id);
    if (workloadThresholds.ignore) continue;
    const waiver = findWaiver(active, id, undefined);
    const total = prepare(id, undefined, workload.total, matches.map((m) => m.total), workloadThresholds, waiver);
    comparisons.push(total.comparison);
    if (total.test) tests.push(total.test);
    const totalFailures = failureChange(id, undefined, workload.total, matches.map((m) => m.total), workloadThresholds, waiver);
    if (totalFailures) failureChanges.push(totalFailures);

    for (const [name, series] of Object.entries(workload.actions)) {
      const actionThresholds = thresholdsFor(settings, id, name);
      if (actionThresholds.ignore) continue;
      const actionWaiver = findWaiver(active, id, name);
      const before = matches.map((m) => m.actions[name]).filter((s): s is SeriesSummary => s !== undefined);
      const action = prepare(id, name, series, before, actionThresholds, actionWaiver);
      comparisons.push(action.comparison);
      if (action.test) tests.push(action.test);
      // An action's failures are the workload's failures seen from inside: flag them once, at the workload.
    }
  }

  const results = tests.map((t) =>
    medianRatioTest(t.baseline, t.current, {
      confidence: t.thresholds.confidence,
      seed: t.seed,
      betweenRunNoiseFloor: t.thresholds.betweenRunNoisePercent / 100,
      ...(options.replicates !== undefined ? { replicates: options.replicates } : {}),
    }),
  );
  const pValues = results.map((r) => r.pValue);
  const adjusted = settings.correction === 'benjamini-hochberg' ? benjaminiHochbergAdjust(pValues) : holmAdjust(pValues);
  for (const [i, test] of tests.entries()) {
    const result = results[i]!;
    const c = test.comparison;
    const alpha = 1 - test.thresholds.confidence;
    const practical = 1 + test.thresholds.regressionPercent / 100;
    Object.assign(c, {
      ratio: result.ratio,
      interval: result.interval,
      pValue: result.pValue,
      adjustedPValue: adjusted[i]!,
      baselineMedian: result.baselineMedian,
      currentMedian: result.currentMedian,
      betweenRunNoise: result.betweenRunNoise,
    });
    // Changes smaller than the clock and scheduler can tell apart are never practical.
    const large = Math.abs(result.currentMedian - result.baselineMedian) >= test.thresholds.minChangeMs / 1000;
    const significant = adjusted[i]! < alpha && large;
    c.kind = significant && result.ratio >= practical ? 'regression' : significant && result.ratio <= 1 / practical ? 'improvement' : 'no-change';
  }

  const failing =
    slaFailures.length > 0 ||
    comparisons.some((c) => c.kind === 'regression' && !c.waiver) ||
    failureChanges.some((f) => !f.waiver);
  return { comparisons, failureChanges, slaChanges, slaFailures, expiredWaivers: expired, baselineRuns: baselineRuns.length, passed: !failing };
}
