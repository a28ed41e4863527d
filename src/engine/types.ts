/**
 * The data one workload run produces, shaped like Rally's iteration records
 * (rally/task/runner.py, format_version 1.2) so that exports need no translation.
 * Times: `timestamp`, `started_at`, `finished_at` are epoch seconds (float) derived from
 * the monotonic clock; durations are seconds measured on the monotonic clock.
 */
import type { JsonObject, JsonValue } from '../common/json.js';

export interface AtomicAction {
  name: string;
  started_at: number;
  finished_at: number;
  children: AtomicAction[];
  /** set on an action that raised, and on its parents */
  failed?: true;
}

/** [] on success, else [exception type name, message, traceback text]. */
export type IterationError = [] | [string, string, string];

export type ChartPlugin = 'StatsTable' | 'StackedArea' | 'Lines' | 'Pie' | 'Table' | 'TextArea';

export interface Chart {
  title: string;
  description?: string;
  chart_plugin: ChartPlugin;
  data: JsonValue;
  label?: string;
  axis_label?: string;
}

export interface IterationOutput {
  additive: Chart[];
  complete: Chart[];
}

export interface IterationResult {
  /** epoch seconds at the start of the timed scenario run */
  timestamp: number;
  /** seconds of scenario run time, minus idle_duration */
  duration: number;
  /** seconds spent in the scenario's idle sleeps (sleep_between) */
  idle_duration: number;
  error: IterationError;
  output: IterationOutput;
  atomic_actions: AtomicAction[];
}

/** Anything that consumes iterations as they finish: the NDJSON writer, SLA checker, statistics, progress. */
export interface IterationSink {
  onIteration(result: IterationResult): void;
}

export interface ContextRunRecord {
  started_at: number;
  finished_at: number;
  atomic_actions: AtomicAction[];
  /** null, or {etype, msg, traceback} like Rally */
  error: null | { etype: string; msg: string; traceback: string };
}

/** contexts_results[] entry, as in Rally's report. */
export interface ContextResult {
  plugin_name: string;
  plugin_cfg: JsonValue;
  setup: ContextRunRecord;
  cleanup: ContextRunRecord;
}

export interface HookRunResult {
  status: 'success' | 'failed';
  started_at: number;
  finished_at: number;
  triggered_by: { event_type: 'iteration' | 'time'; value: number };
  error?: { etype: string; msg: string; details: string };
  output?: IterationOutput;
}

/** hooks[] entry of a workload in Rally's report. */
export interface HookResults {
  config: { action: Record<string, JsonValue>; trigger: Record<string, JsonValue>; description?: string };
  results: HookRunResult[];
  summary: Record<string, number>;
}

export interface SlaResult {
  criterion: string;
  success: boolean;
  detail: string;
}

/** What the engine reports about one workload once it has run (iterations themselves are on disk). */
export interface WorkloadRunSummary {
  uuid: string;
  subtaskIndex: number;
  position: number;
  /** NDJSON file, one IterationResult per line, in completion order */
  iterationsFile: string;
  totalIterationCount: number;
  failedIterationCount: number;
  /** epoch seconds of the first iteration's timestamp, null if none ran */
  startTime: number | null;
  /** max(timestamp + duration) - min(timestamp) over the iterations, Rally's definition */
  loadDuration: number;
  /** wall time of the whole workload: contexts, runner, hooks */
  fullDuration: number;
  minDuration: number | null;
  maxDuration: number | null;
  createdAt: string;
  updatedAt: string;
  contextsResults: ContextResult[];
  hooks: HookResults[];
  slaResults: SlaResult[];
  passSla: boolean;
  /** the run was stopped early (Ctrl-C, abort-on-sla-failure) */
  aborted?: 'sla' | 'manual';
  /**
   * The workload could not run to its end: a context setup failed or the runner crashed (Rally
   * logs it and adds the `something_went_wrong` SLA criterion). Contexts were still cleaned up.
   */
  unexpectedFailure?: { etype: string; msg: string; traceback: string };
  runnerConfig?: JsonObject;
}
