/**
 * One pass over a workload's iterations (in timestamp order, like Rally numbers them) producing
 * what the page shows: chart series, histograms, the load profile, failure groups, custom outputs.
 * Per iteration only a few numbers are kept, so large workloads stay cheap.
 */
import { GrowableFloat64Array } from '../../common/growable-float64-array.js';
import type { HookResults, IterationResult } from '../../engine/types.js';
import { mergeAtomicActions, percentile, type WorkloadStatistics } from '../stats.js';
import { downsampleMean, downsampleMinMax, roundSignificant } from './downsample.js';
import { OutputCollector } from './outputs.js';
import type { ChartColumns, HistogramData, OutputChartData } from './types.js';

/** Iterations that failed the same way: same exception type and message. */
export interface FailureGroup {
  type: string;
  message: string;
  count: number;
  /** iteration numbers (1-based, timestamp order), the first few */
  iterations: number[];
  /** the traceback of the first iteration of the group */
  traceback: string;
}

export interface WorkloadAnalysis {
  iterationCount: number;
  failedCount: number;
  durations: ChartColumns;
  atomicsStacked: ChartColumns;
  loadProfile: ChartColumns;
  histograms: HistogramData[];
  /** groups, most frequent first */
  failures: FailureGroup[];
  outputs: OutputChartData[];
  /** iterations whose complete output was left out of the page */
  skippedCompleteOutputs: number;
}

const ITERATIONS_LISTED_PER_FAILURE = 10;
const LOAD_PROFILE_BINS = 200;
const MAX_HISTOGRAM_BINS = 50;

/** The atomic actions drawn, in Rally's statistics order: top-level display names keyed by name. */
function atomicNames(statistics: WorkloadStatistics | undefined): Array<{ name: string; label: string }> {
  const rows = statistics?.durations?.atomics ?? [];
  const seen = new Set<string>();
  const names: Array<{ name: string; label: string }> = [];
  for (const row of rows) {
    if (seen.has(row.name)) continue;
    seen.add(row.name);
    names.push({ name: row.name, label: row.display_name || row.name });
  }
  return names;
}

/**
 * Rice rule bin count (Rally offers it among its histogram views), capped for readability. A few
 * extreme outliers would squash every other value into one bin: when the maximum is far above the
 * 99th percentile, the bins stop there and one last bin counts everything above it.
 */
export function histogram(label: string, values: ArrayLike<number>): HistogramData {
  const n = values.length;
  if (n === 0) return { label, edges: [], counts: [] };
  const sorted = Float64Array.from(values).sort();
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  const p99 = percentile(sorted, 0.99) as number;
  const clipped = n >= 100 && p99 > min && max - min > 4 * (p99 - min);
  const top = clipped ? p99 : max;
  const regularBins = top > min ? Math.min(MAX_HISTOGRAM_BINS, Math.max(1, Math.ceil(2 * Math.cbrt(n)))) : 1;
  const width = top > min ? (top - min) / regularBins : 1;
  const bins = regularBins + (clipped ? 1 : 0);
  const counts = new Array<number>(bins).fill(0);
  for (const value of sorted) {
    const bin = value > top ? bins - 1 : Math.min(regularBins - 1, Math.floor((value - min) / width));
    counts[bin] = (counts[bin] as number) + 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => roundSignificant(min + i * width, 6));
  return clipped ? { label, edges, counts, overflowFrom: roundSignificant(top, 6) } : { label, edges, counts };
}

/**
 * Concurrent iterations over time: each bin holds the mean number of iterations running during it
 * (the exact overlap, where Rally's LoadProfileChart approximates it on 100 points). Like Rally, the
 * axis runs 2 % past the load duration so the curve comes back to zero.
 */
export function loadProfile(starts: ArrayLike<number>, durations: ArrayLike<number>, loadDuration: number): ChartColumns {
  const n = starts.length;
  if (n === 0) return { x: [], series: [{ label: 'concurrent iterations', values: [] }] };
  const span = Math.max(loadDuration, 1e-9) * (1 + 2 / LOAD_PROFILE_BINS);
  const step = span / LOAD_PROFILE_BINS;
  const running = new Float64Array(LOAD_PROFILE_BINS + 1);
  for (let i = 0; i < n; i++) {
    const start = starts[i] as number;
    const end = start + (durations[i] as number);
    const first = Math.max(0, Math.floor(start / step));
    const last = Math.min(LOAD_PROFILE_BINS, Math.floor(end / step));
    for (let bin = first; bin <= last; bin++) {
      const overlap = Math.min(end, (bin + 1) * step) - Math.max(start, bin * step);
      if (overlap > 0) running[bin] = (running[bin] as number) + overlap / step;
    }
  }
  const x = Array.from({ length: LOAD_PROFILE_BINS + 1 }, (_, i) => roundSignificant(i * step, 6));
  return { x, series: [{ label: 'concurrent iterations', values: Array.from(running, (v) => roundSignificant(v)) }] };
}

export interface AnalysisContext {
  statistics: WorkloadStatistics | undefined;
  loadDuration: number;
  maxSeriesPoints: number;
}

/** The analysis of iterations held in memory (tests, imported reports). */
export function analyseWorkload(iterations: Iterable<IterationResult>, context: AnalysisContext): WorkloadAnalysis {
  const analyser = workloadAnalyser(context);
  for (const iteration of iterations) analyser.add(iteration);
  return analyser.finish();
}

/** The analysis of iterations read one at a time (from the results file: memory holds the durations, not the records). */
export async function analyseWorkloadStream(iterations: AsyncIterable<IterationResult>, context: AnalysisContext): Promise<WorkloadAnalysis> {
  const analyser = workloadAnalyser(context);
  for await (const iteration of iterations) analyser.add(iteration);
  return analyser.finish();
}

/** Feed it the iterations in timestamp order, then finish(). */
export function workloadAnalyser(context: AnalysisContext): { add(iteration: IterationResult): void; finish(): WorkloadAnalysis } {
  const atomics = atomicNames(context.statistics);
  const atomicIndex = new Map(atomics.map((a, i) => [a.name, i]));
  const timestamps = new GrowableFloat64Array();
  const totals = new GrowableFloat64Array();
  const idles = new GrowableFloat64Array();
  const failedFlags: boolean[] = [];
  const atomicColumns = atomics.map(() => new GrowableFloat64Array());
  const successDurations = new GrowableFloat64Array();
  const successAtomicDurations = atomics.map(() => new GrowableFloat64Array());
  const failureGroups = new Map<string, FailureGroup>();
  const outputs = new OutputCollector();

  // One row reused for every iteration: allocating typed arrays per iteration is slow.
  const row = new Float64Array(atomics.length);
  let number = 0;
  const add = (iteration: IterationResult): void => {
    number += 1;
    const failed = Array.isArray(iteration.error) && iteration.error.length > 0;
    timestamps.push(Number(iteration.timestamp) || 0);
    totals.push(Number(iteration.duration) || 0);
    idles.push(Number(iteration.idle_duration) || 0);
    failedFlags.push(failed);
    if (!failed) successDurations.push(Number(iteration.duration) || 0);

    // Rally's _fix_atomic_actions: an action missing from an iteration counts as NaN here (a gap).
    const merged = mergeAtomicActions(iteration.atomic_actions ?? []);
    row.fill(NaN);
    for (const [name, action] of merged) {
      const index = atomicIndex.get(name);
      if (index !== undefined) row[index] = action.duration;
    }
    for (const [i, column] of atomicColumns.entries()) {
      const value = row[i] as number;
      column.push(value);
      if (!Number.isNaN(value) && !(merged.get(atomics[i]!.name)?.failed ?? false)) successAtomicDurations[i]!.push(value);
    }

    if (failed) {
      const [type = '', message = '', traceback = ''] = (iteration.error as string[]).map((v) => String(v ?? ''));
      const key = `${type}\u0000${message}`;
      let group = failureGroups.get(key);
      if (!group) {
        group = { type, message, count: 0, iterations: [], traceback };
        failureGroups.set(key, group);
      }
      group.count += 1;
      if (group.iterations.length < ITERATIONS_LISTED_PER_FAILURE) group.iterations.push(number);
    }
    outputs.add(iteration.output, number);
  };

  const finish = (): WorkloadAnalysis => {
    const iterationNumbers = Float64Array.from({ length: number }, (_, i) => i + 1);
    const totalValues = totals.values();
    const toNullable = (values: Float64Array): Array<number | null> => Array.from(values, (v) => (Number.isNaN(v) ? null : v));
    const failedSeries = failedFlags.some(Boolean)
      ? [{ label: 'failed iterations', values: Array.from(totalValues, (v, i) => (failedFlags[i] ? v : null)), points: true as const }]
      : [];
    const durations = downsampleMinMax(
      iterationNumbers,
      [
        { label: 'total', values: Array.from(totalValues, (v, i) => (failedFlags[i] ? null : v)) },
        ...failedSeries,
        ...atomics.map((a, i) => ({ label: a.label, values: toNullable(atomicColumns[i]!.values()) })),
      ],
      context.maxSeriesPoints,
    );

    // Stacked per iteration: atomic actions, then what the atomics do not cover (Rally's stacked
    // atomics chart adds "failed_duration"; we show the remainder for every iteration).
    const atomicValues = atomicColumns.map((column) => column.values());
    const remainder = Array.from(totalValues, (total, i) => {
      let covered = 0;
      for (const values of atomicValues) covered += Number.isNaN(values[i] as number) ? 0 : (values[i] as number);
      return Math.max(0, total - covered);
    });
    const atomicsStacked = downsampleMean(
      iterationNumbers,
      [
        ...atomics.map((a, i) => ({ label: a.label, values: Array.from(atomicValues[i]!, (v) => (Number.isNaN(v) ? 0 : v)) })),
        { label: atomics.length > 0 ? 'outside atomic actions' : 'duration', values: remainder },
        { label: 'idle', values: Array.from(idles.values()) },
      ],
      context.maxSeriesPoints,
    );

    const stamps = timestamps.values();
    // Iterations come in timestamp order: the first one starts the load.
    const firstStamp = stamps[0] ?? 0;
    const starts = Float64Array.from(stamps, (t) => t - firstStamp);

    const histograms = [
      histogram('total', successDurations.values()),
      ...atomics.map((a, i) => histogram(a.label, successAtomicDurations[i]!.values())),
    ];

    return {
      iterationCount: number,
      failedCount: failedFlags.filter(Boolean).length,
      durations,
      atomicsStacked,
      loadProfile: loadProfile(starts, totalValues, context.loadDuration),
      histograms,
      failures: [...failureGroups.values()].sort((a, b) => b.count - a.count),
      outputs: outputs.render(context.maxSeriesPoints),
      skippedCompleteOutputs: outputs.skippedCompleteSources,
    };
  };
  return { add, finish };
}

/** Hook outputs, aggregated per hook like Rally's _process_hooks. */
export function hookOutputs(hooks: readonly HookResults[], maxSeriesPoints: number): OutputChartData[] {
  const charts: OutputChartData[] = [];
  for (const hook of hooks) {
    const collector = new OutputCollector();
    for (const [i, result] of (hook.results ?? []).entries()) collector.add(result.output, i + 1);
    const action = Object.keys(hook.config?.action ?? {})[0] ?? 'hook';
    for (const chart of collector.render(maxSeriesPoints)) charts.push({ ...chart, title: `${action}: ${chart.title}` });
  }
  return charts;
}
