/**
 * What the gate stores after a trusted run: one BaselineRun document per `rally-gate run`, with a
 * compact summary of every workload it ran. Stores (directory, git branch, URL) hold these documents;
 * the gate reads the last N that fit a pull request and compares against them.
 */
import type { SlaResult } from '../engine/types.js';
import type { VerificationResult } from '../verify/types.js';

export const BASELINE_FORMAT = 1;

/**
 * Durations of one series, faithfully but compactly: every value when there are at most
 * MAX_EXACT_DURATIONS of them, else the quantiles 0, 1/1000, ..., 1 (1001 values) plus the count.
 * Resampling the quantiles is resampling the empirical distribution at 0.1% resolution, which moves a
 * bootstrap median by far less than the noise the gate tolerates (docs/gate.md).
 */
export type CompactDurations =
  | { kind: 'exact'; values: number[] }
  | { kind: 'quantiles'; count: number; quantiles: number[] };

export interface SeriesSummary {
  /** iterations counted (for an atomic action: iterations in which it ran) */
  count: number;
  /** of them, how many failed */
  failures: number;
  /** durations in seconds of the successful ones */
  durations: CompactDurations;
}

export interface WorkloadBaseline {
  /** md5 of the workload's normalised config without descriptions, exactly as Rally's trends report */
  hash: string;
  /** where it came from, for people reading reports: task file, subtask title, scenario, position */
  task: string;
  subtask: string;
  scenario: string;
  position: number;
  total: SeriesSummary;
  /** per top-level atomic action (repeats inside one iteration summed, like Rally's statistics) */
  actions: Record<string, SeriesSummary>;
  sla: SlaResult[];
  passSla: boolean;
}

export interface BaselineRun {
  format: typeof BASELINE_FORMAT;
  /** unique id: "<time>-<commit>-<random>" */
  id: string;
  commit: string;
  branch: string;
  /** ISO 8601 UTC */
  time: string;
  /** cloudFingerprint() of the environment; runs with different fingerprints are never mixed */
  fingerprint: string;
  workloads: WorkloadBaseline[];
  /** the Tempest verification of the run, when it had one (tests' failure texts left out) */
  verification?: VerificationResult;
}

/** A line of a store's index.json (what a URL store reads first). */
export interface BaselineIndexEntry {
  file: string;
  id: string;
  commit: string;
  branch: string;
  time: string;
  fingerprint: string;
}

export interface BaselineIndex {
  format: typeof BASELINE_FORMAT;
  runs: BaselineIndexEntry[];
}

/** Where baselines live. Readers list and load; only trusted runs may call `write`. */
export interface BaselineStore {
  readonly description: string;
  /** every run the store holds, oldest first (by time) */
  list(): Promise<BaselineIndexEntry[]>;
  load(entry: BaselineIndexEntry): Promise<BaselineRun>;
  /** absent on read-only stores */
  write?(run: BaselineRun): Promise<string>;
}
