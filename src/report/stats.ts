/**
 * Workload statistics exactly as Rally's MainStatsTable computes them (rally/task/processing/charts.py):
 * one row per atomic action (repeats within an iteration merged into "name (xN)", nested up to three
 * levels), then "total" with children "duration" and "idle_duration". Values are min, median, 90%ile,
 * 95%ile, max, avg rounded like Python's round(x, 3), or "n/a"; success is "%.1f%%".
 *
 * The accumulator keeps only numbers: one growing Float64Array of durations per row.
 */
import { GrowableFloat64Array } from '../common/growable-float64-array.js';
import type { AtomicAction, IterationResult, IterationSink } from '../engine/types.js';
import { pyFixed, pyRound } from './python-format.js';

/** A value cell of the statistics: a float rounded to 3 decimals, or "n/a" when the row has no data. */
export type StatValue = number | 'n/a';

export interface DurationStatsData {
  iteration_count: number;
  min: StatValue;
  median: StatValue;
  '90%ile': StatValue;
  '95%ile': StatValue;
  max: StatValue;
  avg: StatValue;
  /** e.g. "74.0%", or "n/a" */
  success: string;
}

/** One row of Rally's statistics.durations (same keys, same order). */
export interface DurationStatsRow {
  data: DurationStatsData;
  /** how many times per iteration the action ran in the iterations counted by this row */
  count_per_iteration: number;
  /** the action name */
  name: string;
  /** the name shown in tables: "name" or "name (xN)" */
  display_name: string;
  children: DurationStatsRow[];
}

/** Rally's workload `statistics` block. */
export interface WorkloadStatistics {
  durations: {
    total: DurationStatsRow;
    atomics: DurationStatsRow[];
  };
}

/** Rally merges nested atomic actions only this many levels below the top (merge_atomic_actions). */
const DEPTH_OF_PROCESSING = 2;

/** Durations of one iteration after merging repeats: name -> summed duration, count, failed, children. */
interface MergedAction {
  duration: number;
  count: number;
  failed: boolean;
  children: Map<string, MergedAction>;
}

/** Rally's atomic.merge_atomic_actions: repeated names summed, first-seen order kept. */
export function mergeAtomicActions(
  actions: readonly AtomicAction[],
  into: Map<string, MergedAction> = new Map(),
  depth = 0,
): Map<string, MergedAction> {
  for (const action of actions) {
    let merged = into.get(action.name);
    if (!merged) {
      merged = { duration: 0, count: 0, failed: false, children: new Map() };
      into.set(action.name, merged);
    }
    merged.duration += action.finished_at - action.started_at;
    merged.count += 1;
    if (action.failed) merged.failed = true;
    if (action.children.length > 0 && depth < DEPTH_OF_PROCESSING) {
      mergeAtomicActions(action.children, merged.children, depth + 1);
    }
  }
  return into;
}

/** Rally's utils.percentile: linear interpolation between closest ranks of sorted points. */
export function percentile(sorted: ArrayLike<number>, fraction: number): number | null {
  if (sorted.length === 0) return null;
  const k = (sorted.length - 1) * fraction;
  const f = Math.floor(k);
  const c = Math.ceil(k);
  if (f === c) return sorted[k] as number;
  return (sorted[f] as number) * (c - k) + (sorted[c] as number) * (k - f);
}

class StatsRowAccumulator {
  readonly points = new GrowableFloat64Array();
  min: number | null = null;
  max: number | null = null;
  total = 0;
  successes = 0;
  count = 0;
  readonly children = new Map<string, StatsRowAccumulator>();

  constructor(
    readonly name: string,
    readonly displayName: string,
    readonly countPerIteration: number,
  ) {}

  add(duration: number, failed: boolean): void {
    this.count += 1;
    if (!failed) this.successes += 1;
    this.points.push(duration);
    if (this.min === null || duration < this.min) this.min = duration;
    if (this.max === null || duration > this.max) this.max = duration;
    this.total += duration;
  }

  toRow(): DurationStatsRow {
    const hasResult = this.count > 0;
    const round = (value: number | null): StatValue => (hasResult && value !== null ? pyRound(value, 3) : 'n/a');
    const sorted = this.points.sortedCopy();
    return {
      data: {
        iteration_count: this.count,
        min: round(this.min),
        median: round(percentile(sorted, 0.5)),
        '90%ile': round(percentile(sorted, 0.9)),
        '95%ile': round(percentile(sorted, 0.95)),
        max: round(this.max),
        avg: round(hasResult ? this.total / this.count : null),
        success: hasResult ? `${pyFixed((this.successes / this.count) * 100, 1)}%` : 'n/a',
      },
      count_per_iteration: this.countPerIteration,
      name: this.name,
      display_name: this.displayName,
      children: [...this.children.values()].map((child) => child.toRow()),
    };
  }
}

/** A merged action or a total/duration/idle_duration entry, as fed into the rows. */
interface RowInput {
  duration: number;
  count: number;
  failed: boolean;
  children: Map<string, RowInput>;
}

const NO_NAME_ACTION = '<no-name-action>';

/** Collects Rally's MainStatsTable for one workload from its iterations, in any order. */
export class StatsAccumulator implements IterationSink {
  private readonly rows = new Map<string, StatsRowAccumulator>();
  private iterations = 0;

  onIteration(result: IterationResult): void {
    this.iterations += 1;
    const failed = result.error.length > 0;
    const data: Map<string, RowInput> = mergeAtomicActions(result.atomic_actions);
    // An error raised outside any atomic action still has to show up as a failed action row.
    const lastAction = [...data.values()].at(-1);
    if (lastAction && failed && !lastAction.failed) {
      data.set(NO_NAME_ACTION, { duration: 0, count: 1, failed: true, children: new Map() });
    }
    const leaf = (duration: number): RowInput => ({ duration, count: 1, failed, children: new Map() });
    data.set('total', {
      duration: result.duration + result.idle_duration,
      count: 1,
      failed,
      children: new Map([
        ['duration', leaf(result.duration)],
        ['idle_duration', leaf(result.idle_duration)],
      ]),
    });
    this.addRows(data, this.rows);
  }

  private addRows(data: Map<string, RowInput>, rows: Map<string, StatsRowAccumulator>): void {
    for (const [name, input] of data) {
      const displayName = input.count > 1 ? `${name} (x${input.count})` : name;
      let row = rows.get(displayName);
      if (!row) {
        row = new StatsRowAccumulator(name, displayName, input.count);
        rows.set(displayName, row);
      }
      row.add(input.duration, input.failed);
      if (input.children.size > 0) this.addRows(input.children, row.children);
    }
  }

  /** Number of iterations seen. */
  get iterationCount(): number {
    return this.iterations;
  }

  /** Rally's statistics block. "total" is always last (and present, with "n/a" values, when no iteration ran). */
  statistics(): WorkloadStatistics {
    const atomics: DurationStatsRow[] = [];
    let total: DurationStatsRow | undefined;
    for (const [displayName, row] of this.rows) {
      if (displayName === 'total') total = row.toRow();
      else atomics.push(row.toRow());
    }
    return {
      durations: {
        total: total ?? new StatsRowAccumulator('total', 'total', 1).toRow(),
        atomics,
      },
    };
  }
}
