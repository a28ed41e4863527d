/**
 * Turns finished task runs into a BaselineRun: reads each workload's iterations (NDJSON) once and
 * keeps the durations per workload and per top-level atomic action, compactly.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { IterationResult } from '../engine/types.js';
import { mergeAtomicActions } from '../report/stats.js';
import { allWorkloads, scenarioName, type TaskRunRecord } from '../report/types.js';
import { workloadHash } from './hash.js';
import { BASELINE_FORMAT, type BaselineRun, type CompactDurations, type SeriesSummary, type WorkloadBaseline } from './types.js';

/** Up to this many durations are stored as they are; more become 1001 quantiles. */
export const MAX_EXACT_DURATIONS = 1000;
const QUANTILE_STEPS = 1000;

export function compactDurations(values: readonly number[]): CompactDurations {
  if (values.length <= MAX_EXACT_DURATIONS) return { kind: 'exact', values: values.map(roundMicro) };
  const sorted = Float64Array.from(values).sort();
  const quantiles: number[] = [];
  for (let i = 0; i <= QUANTILE_STEPS; i++) {
    const k = ((sorted.length - 1) * i) / QUANTILE_STEPS;
    const low = Math.floor(k);
    const high = Math.ceil(k);
    quantiles.push(roundMicro((sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (k - low)));
  }
  return { kind: 'quantiles', count: values.length, quantiles };
}

/** The values a comparison resamples from: the stored durations, or the stored quantiles. */
export function expandDurations(durations: CompactDurations): number[] {
  return durations.kind === 'exact' ? durations.values : durations.quantiles;
}

/** How many durations the series really had (not how many are stored). */
export function durationCount(durations: CompactDurations): number {
  return durations.kind === 'exact' ? durations.values.length : durations.count;
}

/** Microsecond resolution: more digits are clock noise and only grow the files. */
function roundMicro(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

class SeriesBuilder {
  count = 0;
  failures = 0;
  readonly durations: number[] = [];
  add(duration: number, failed: boolean): void {
    this.count++;
    if (failed) this.failures++;
    else this.durations.push(duration);
  }
  build(): SeriesSummary {
    return { count: this.count, failures: this.failures, durations: compactDurations(this.durations) };
  }
}

async function* readIterations(file: string): AsyncGenerator<IterationResult> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as IterationResult;
}

/** Summarises one workload's iterations (total and top-level atomic actions). */
export function summarizeIterations(iterations: Iterable<IterationResult>): { total: SeriesSummary; actions: Record<string, SeriesSummary> } {
  const total = new SeriesBuilder();
  const actions = new Map<string, SeriesBuilder>();
  for (const iteration of iterations) addIteration(iteration, total, actions);
  return { total: total.build(), actions: Object.fromEntries([...actions].map(([name, b]) => [name, b.build()])) };
}

function addIteration(iteration: IterationResult, total: SeriesBuilder, actions: Map<string, SeriesBuilder>): void {
  total.add(iteration.duration, iteration.error.length > 0);
  for (const [name, merged] of mergeAtomicActions(iteration.atomic_actions)) {
    let builder = actions.get(name);
    if (!builder) actions.set(name, (builder = new SeriesBuilder()));
    builder.add(merged.duration, merged.failed);
  }
}

export interface RunIdentity {
  commit: string;
  branch: string;
  fingerprint: string;
  /** ISO time of the run (default: now) */
  time?: string;
}

/** A task run as the gate knows it: the record plus the task file it came from. */
export interface GateTaskRun {
  file: string;
  record: TaskRunRecord;
}

/** Builds the baseline document of a gate run (all its tasks). */
export async function summarizeRun(tasks: readonly GateTaskRun[], identity: RunIdentity): Promise<BaselineRun> {
  const workloads: WorkloadBaseline[] = [];
  for (const { file, record } of tasks) {
    for (const { subtask, workload } of allWorkloads(record)) {
      const total = new SeriesBuilder();
      const actions = new Map<string, SeriesBuilder>();
      for await (const iteration of readIterations(workload.summary.iterationsFile)) addIteration(iteration, total, actions);
      workloads.push({
        hash: workloadHash(workload.config),
        task: file,
        subtask: subtask.config.title,
        scenario: scenarioName(workload.config),
        position: workload.summary.position,
        total: total.build(),
        actions: Object.fromEntries([...actions].map(([name, b]) => [name, b.build()])),
        sla: workload.summary.slaResults,
        passSla: workload.summary.passSla,
      });
    }
  }
  const time = identity.time ?? new Date().toISOString();
  return {
    format: BASELINE_FORMAT,
    id: runId(time, identity.commit),
    commit: identity.commit,
    branch: identity.branch,
    time,
    fingerprint: identity.fingerprint,
    workloads,
  };
}

/** "20261121T111739Z-0123456789ab-3f9a1c": sorts by time, names the commit, never collides. */
export function runId(time: string, commit: string): string {
  const stamp = new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const short = (commit || 'unknown').replace(/[^0-9A-Za-z]/g, '').slice(0, 12) || 'unknown';
  return `${stamp}-${short}-${randomBytes(3).toString('hex')}`;
}
