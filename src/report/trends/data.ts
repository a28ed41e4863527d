/**
 * Trends over a baseline history: per workload (grouped by its hash, like Rally's trends report) and
 * per atomic action, the median, 90%ile, 95%ile, min, max and success rate of every stored run, and
 * the changes the gate would have flagged. Pure: the runs come in, the shaped data goes out.
 *
 * Verdicts are recomputed, not stored: each run is judged with judge() against the `window` runs
 * before it on the same cloud fingerprint (what the gate would have used had the run been a pull
 * request on that commit). Stored runs are never rewritten, and recomputing keeps the marks in step
 * with today's settings (thresholds, overrides, waivers).
 */
import { durationCount, expandDurations } from '../../baseline/summarize.js';
import type { BaselineRun, SeriesSummary, WorkloadBaseline } from '../../baseline/types.js';
import { judge } from '../../gate/compare.js';
import { thresholdsFor, type GateSettings } from '../../gate/settings.js';
import { median } from '../../gate/stats.js';
import { percentile } from '../stats.js';

export interface TrendRun {
  id: string;
  commit: string;
  branch: string;
  /** ISO 8601 UTC */
  time: string;
  fingerprint: string;
}

/** One run's figures for one series (seconds; success in percent). */
export interface TrendPoint {
  /** index into TrendsData.runs */
  run: number;
  min: number | null;
  median: number | null;
  p90: number | null;
  p95: number | null;
  max: number | null;
  /** iterations counted (for an atomic action: iterations in which it ran) */
  count: number;
  failures: number;
  /** percent of successful iterations; null without iterations */
  success: number | null;
}

export type TrendChangeKind = 'regression' | 'improvement' | 'new-failures';

/** A change the gate flags at a run, against the runs before it. */
export interface TrendChange {
  run: number;
  kind: TrendChangeKind;
  /** relative change of the median (0.24 = +24 %); for new failures: failure rate now, percent */
  change: number;
  interval?: [number, number];
  /** the waiver's reason when one covers the change */
  waived?: string;
  /** how many earlier runs it was judged against */
  baselineRuns: number;
}

export interface TrendSeries {
  /** "total" or the atomic action's name */
  name: string;
  points: TrendPoint[];
  changes: TrendChange[];
}

export interface TrendWorkload {
  /** the workload hash; "#2", "#3" appended for the second, third run of the same config in one gate run */
  key: string;
  hash: string;
  scenario: string;
  /** subtask title and task file of the newest run that had it (titles may change; the hash does not) */
  subtask: string;
  task: string;
  position: number;
  /** total first, then the atomic actions in the order they first appeared */
  series: TrendSeries[];
  /** runs in which an SLA criterion failed */
  slaFailures: number;
}

export interface TrendsData {
  /** oldest first */
  runs: TrendRun[];
  /** in the order of first appearance (task file, then position), like a run's own order */
  workloads: TrendWorkload[];
  /** how many earlier runs each run was judged against (at most) */
  window: number;
}

export interface TrendsOptions {
  settings: GateSettings;
  /** earlier runs a run is judged against (default: settings.baselineRuns) */
  window?: number;
  /**
   * bootstrap replicates per comparison (default 250, the gate uses 1000): the p-value comes from the
   * bootstrap's standard error, which 250 replicates estimate within about 5%; only borderline marks can differ
   */
  replicates?: number;
  /** YYYY-MM-DD for waiver expiry (default today) */
  today?: string;
  /**
   * show only the newest N runs; the older ones given serve as baselines of the first shown runs
   * (give `show + window` runs so that the first shown run is judged like the others)
   */
  show?: number;
}

/** Runs oldest first, ties by id: the x axis of every chart. */
export const TRENDS_REPLICATES = 250;

export function sortRuns(runs: readonly BaselineRun[]): BaselineRun[] {
  return [...runs].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}

function pointOf(run: number, series: SeriesSummary): TrendPoint {
  const sorted = Float64Array.from(expandDurations(series.durations)).sort();
  const success = series.count > 0 ? (100 * (series.count - series.failures)) / series.count : null;
  return {
    run,
    min: sorted.length ? (sorted[0] as number) : null,
    median: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : null,
    count: series.count,
    failures: series.failures,
    success,
  };
}

/** Each workload of a run with its key: the hash, plus "#n" for the n-th repeat of one config. */
function keyedWorkloads(run: BaselineRun): Array<{ key: string; workload: WorkloadBaseline }> {
  const seen = new Map<string, number>();
  return run.workloads.map((workload) => {
    const n = (seen.get(workload.hash) ?? 0) + 1;
    seen.set(workload.hash, n);
    return { key: n === 1 ? workload.hash : `${workload.hash}#${n}`, workload };
  });
}

function seriesOf(trend: TrendWorkload, name: string): TrendSeries {
  let series = trend.series.find((s) => s.name === name);
  if (!series) trend.series.push((series = { name, points: [], changes: [] }));
  return series;
}

export function buildTrends(input: readonly BaselineRun[], options: TrendsOptions): TrendsData {
  const runs = sortRuns(input);
  const window = options.window ?? options.settings.baselineRuns;
  const byKey = new Map<string, TrendWorkload>();
  // A run's series medians serve as the baseline of the `window` runs after it: computed once.
  const medians = new Map<SeriesSummary, number>();
  const shownFrom = options.show !== undefined && options.show > 0 ? Math.max(0, runs.length - options.show) : 0;

  for (const [index, run] of runs.entries()) {
    if (index < shownFrom) continue;
    const x = index - shownFrom;
    for (const { key, workload } of keyedWorkloads(run)) {
      let trend = byKey.get(key);
      if (!trend) {
        trend = { key, hash: workload.hash, scenario: workload.scenario, subtask: workload.subtask, task: workload.task, position: workload.position, series: [], slaFailures: 0 };
        byKey.set(key, trend);
      }
      Object.assign(trend, { subtask: workload.subtask, task: workload.task, position: workload.position });
      if (!workload.passSla) trend.slaFailures += 1;
      seriesOf(trend, 'total').points.push(pointOf(x, workload.total));
      for (const [name, series] of Object.entries(workload.actions)) seriesOf(trend, name).points.push(pointOf(x, series));
    }
    markChanges(runs, index, x, window, options, byKey, medians);
  }
  return {
    runs: runs.slice(shownFrom).map(({ id, commit, branch, time, fingerprint }) => ({ id, commit, branch, time, fingerprint })),
    workloads: [...byKey.values()],
    window,
  };
}

/** Judges run `index` (shown at `x`) against the `window` runs before it on the same cloud; records what was flagged. */
function markChanges(
  runs: readonly BaselineRun[],
  index: number,
  x: number,
  window: number,
  options: TrendsOptions,
  byKey: Map<string, TrendWorkload>,
  medians: Map<SeriesSummary, number>,
): void {
  const run = runs[index]!;
  const earlier = runs.slice(0, index).filter((r) => r.fingerprint === run.fingerprint).slice(-window).reverse();
  if (earlier.length === 0 || window <= 0 || !mayBeFlagged(run, earlier, options.settings, medians)) return;
  const judgement = judge(run, earlier, options.settings, {
    replicates: options.replicates ?? TRENDS_REPLICATES,
    ...(options.today !== undefined ? { today: options.today } : {}),
  });
  const keyed = keyedWorkloads(run);
  const keyOf = (w: { hash: string; task: string; subtask: string; position: number }): string | undefined =>
    keyed.find(({ workload }) => workload.hash === w.hash && workload.task === w.task && workload.subtask === w.subtask && workload.position === w.position)?.key;

  for (const c of judgement.comparisons) {
    if (c.kind !== 'regression' && c.kind !== 'improvement') continue;
    const key = keyOf(c.workload);
    const trend = key === undefined ? undefined : byKey.get(key);
    if (!trend || c.ratio === undefined) continue;
    seriesOf(trend, c.action ?? 'total').changes.push({
      run: x,
      kind: c.kind,
      change: c.ratio - 1,
      ...(c.interval ? { interval: [c.interval[0] - 1, c.interval[1] - 1] as [number, number] } : {}),
      ...(c.waiver ? { waived: c.waiver.reason } : {}),
      baselineRuns: c.baselineRuns,
    });
  }
  for (const f of judgement.failureChanges) {
    const key = keyOf(f.workload);
    const trend = key === undefined ? undefined : byKey.get(key);
    if (!trend) continue;
    seriesOf(trend, f.action ?? 'total').changes.push({
      run: x,
      kind: 'new-failures',
      change: f.currentPercent,
      ...(f.waiver ? { waived: f.waiver.reason } : {}),
      baselineRuns: earlier.length,
    });
  }
}

/**
 * Whether judge() could flag anything in this run: a failure, or a series whose median moved past its
 * practical threshold (with 1% slack for the gate's log-space median). The bootstrap is the costly
 * part of judging and a verdict needs both significance and a practical change, so a run where no
 * median moved that far is left unjudged: the marks are exactly the gate's, at a fraction of the cost.
 */
export function mayBeFlagged(run: BaselineRun, earlier: readonly BaselineRun[], settings: GateSettings, medianCache = new Map<SeriesSummary, number>()): boolean {
  const medianOf = (series: SeriesSummary): number => {
    let m = medianCache.get(series);
    if (m === undefined) medianCache.set(series, (m = median(expandDurations(series.durations))));
    return m;
  };
  const moved = (current: SeriesSummary, baseline: SeriesSummary[], regressionPercent: number): boolean => {
    const medians = baseline.filter((s) => durationCount(s.durations) > 0).map(medianOf).filter((m) => m > 0);
    const now = durationCount(current.durations) > 0 ? medianOf(current) : Number.NaN;
    if (medians.length === 0 || !(now > 0)) return false; // not enough data is never flagged
    const ratio = now / Math.exp(medians.reduce((sum, m) => sum + Math.log(m), 0) / medians.length);
    const practical = 1 + (regressionPercent / 100) * 0.99;
    return ratio >= practical || ratio <= 1 / practical;
  };
  for (const [index, workload] of run.workloads.entries()) {
    if (workload.total.failures > 0) return true;
    const occurrence = run.workloads.slice(0, index).filter((w) => w.hash === workload.hash).length;
    const matches = earlier.map((r) => r.workloads.filter((w) => w.hash === workload.hash)[occurrence]).filter((w): w is WorkloadBaseline => w !== undefined);
    const id = { hash: workload.hash, subtask: workload.subtask, scenario: workload.scenario };
    const totalThresholds = thresholdsFor(settings, id);
    if (totalThresholds.ignore) continue;
    if (moved(workload.total, matches.map((m) => m.total), totalThresholds.regressionPercent)) return true;
    for (const [name, series] of Object.entries(workload.actions)) {
      const thresholds = thresholdsFor(settings, id, name);
      if (thresholds.ignore) continue;
      const before = matches.map((m) => m.actions[name]).filter((s): s is SeriesSummary => s !== undefined);
      if (moved(series, before, thresholds.regressionPercent)) return true;
    }
  }
  return false;
}

export interface TrendsFilter {
  /** only runs measured on this branch */
  branch?: string;
  /** only runs with this cloud fingerprint (full or a prefix of 8+ characters) */
  fingerprint?: string;
  /** only the newest N runs (after the other filters) */
  last?: number;
}

/** Which stored runs a trends page shows (index entries or runs: anything with branch, fingerprint, time, id). */
export function filterRuns<T extends { branch: string; fingerprint: string; time: string; id: string }>(entries: readonly T[], filter: TrendsFilter): T[] {
  const kept = entries
    .filter((e) => filter.branch === undefined || e.branch === filter.branch)
    .filter((e) => filter.fingerprint === undefined || e.fingerprint === filter.fingerprint || (filter.fingerprint.length >= 8 && e.fingerprint.startsWith(filter.fingerprint)))
    .sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  return filter.last !== undefined && filter.last > 0 ? kept.slice(-filter.last) : kept;
}
