/**
 * The record of one finished task run: the orchestrator fills it, every exporter (Rally JSON,
 * JUnit, console, HTML, baselines) reads it. It mirrors what Rally keeps in its database for a
 * task, so the Rally JSON 1.2 export is a direct rendering of it.
 *
 * Timestamps (`createdAt`, `updatedAt`) are ISO 8601 strings in UTC. Rally's own form is
 * "YYYY-MM-DDTHH:MM:SS" (no zone, second resolution); anything `Date` parses is accepted and
 * exporters normalise it (see `rallyTimestamp`).
 */
import type { IterationResult, WorkloadRunSummary } from '../engine/types.js';
import type { SubtaskConfig, TaskConfig, WorkloadConfig } from '../task/types.js';
import type { WorkloadStatistics } from './stats.js';

/**
 * Rally's final task states: "finished" (ran to the end, whatever the SLA verdict),
 * "aborted" (stopped by the user or by --abort-on-sla-failure), "crashed" (an unexpected error).
 */
export type TaskRunStatus = 'finished' | 'aborted' | 'crashed';

/** Rally's subtask states once a task is over; "init"/"running" only show if the task never reached them. */
export type SubtaskRunStatus = 'finished' | 'aborted' | 'crashed' | 'init' | 'running';

export interface WorkloadRunRecord {
  /** the workload as normalised by the loader (scenario, runner, contexts, sla, hooks) */
  config: WorkloadConfig;
  /** Rally's workload description: the config's description, else the scenario's docstring title */
  description: string;
  /** what the engine reports; `summary.uuid` is the workload uuid, `summary.position` its index in the subtask */
  summary: WorkloadRunSummary;
  /** StatsAccumulator.statistics() over every iteration of the workload */
  statistics: WorkloadStatistics;
}

export interface SubtaskRunRecord {
  uuid: string;
  /** the normalised subtask; its title and description are exported as the subtask's */
  config: SubtaskConfig;
  status: SubtaskRunStatus;
  createdAt: string;
  updatedAt: string;
  /** only the workloads that were started, in order (an aborted task may stop early) */
  workloads: WorkloadRunRecord[];
}

export interface TaskRunRecord {
  uuid: string;
  /** the whole normalised task (v2 form), as run */
  task: TaskConfig;
  title: string;
  description: string;
  tags: string[];
  /** name and uuid of the environment (deployment) the task ran against */
  envName: string;
  envUuid: string;
  status: TaskRunStatus;
  createdAt: string;
  updatedAt: string;
  /** every criterion of every workload passed (see `taskPassedSla`) */
  passSla: boolean;
  subtasks: SubtaskRunRecord[];
}

/** Rally's task pass_sla: false as soon as one workload failed its SLA. */
export function taskPassedSla(subtasks: readonly SubtaskRunRecord[]): boolean {
  return subtasks.every((s) => s.workloads.every((w) => w.summary.passSla));
}

/** Every workload of a task in run order, with the subtask it belongs to. */
export function* allWorkloads(
  run: { subtasks: ReadonlyArray<SubtaskRunRecord> },
): Generator<{ subtask: SubtaskRunRecord; subtaskIndex: number; workload: WorkloadRunRecord }> {
  for (const [subtaskIndex, subtask] of run.subtasks.entries()) {
    for (const workload of subtask.workloads) yield { subtask, subtaskIndex, workload };
  }
}

/** The scenario name of a workload config (its single `scenario` key). */
export function scenarioName(config: WorkloadConfig): string {
  return Object.keys(config.scenario)[0] ?? '';
}

const RALLY_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/**
 * A timestamp in Rally's form "YYYY-MM-DDTHH:MM:SS" (UTC, no zone, fraction dropped).
 * Strings already in that form are kept as they are (JS would read them as local time).
 */
export function rallyTimestamp(iso: string): string {
  if (RALLY_TIMESTAMP.test(iso)) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`not a timestamp: ${JSON.stringify(iso)}`);
  return date.toISOString().slice(0, 19);
}

/** Seconds since the epoch of a timestamp; Rally's zone-less form is read as UTC. */
export function timestampSeconds(iso: string): number {
  const text = RALLY_TIMESTAMP.test(iso) ? `${iso}Z` : iso;
  return new Date(text).getTime() / 1000;
}

/**
 * A task report read back from a Rally JSON file: like TaskRunRecord, but the iterations are in
 * memory (`iterations`, sorted by timestamp) instead of in an NDJSON file.
 */
export interface LoadedWorkloadRecord extends Omit<WorkloadRunRecord, 'summary'> {
  summary: Omit<WorkloadRunSummary, 'iterationsFile'>;
  iterations: IterationResult[];
}

export interface LoadedSubtaskRecord extends Omit<SubtaskRunRecord, 'workloads'> {
  workloads: LoadedWorkloadRecord[];
}

export interface LoadedTaskRecord extends Omit<TaskRunRecord, 'subtasks' | 'status'> {
  /** Rally may also store intermediate states ("running", "soft_aborting", ...) in a report */
  status: TaskRunStatus | string;
  subtasks: LoadedSubtaskRecord[];
}

/** The `info` block of a Rally JSON report. */
export interface RallyReportInfo {
  rally_version: string;
  generated_at: string;
  format_version: string;
}

export interface LoadedRallyReport {
  info: RallyReportInfo;
  tasks: LoadedTaskRecord[];
}
