/**
 * Runs a loaded task through the stages: for each workload the engine runs it while the SLA checker,
 * the statistics and the error collector consume its iterations as they stream in; the result is one
 * TaskRunRecord that every exporter reads. Workloads run one after another, like Rally's.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { epochSecondsNow, isoSeconds } from '../engine/clock.js';
import type { ScenarioPlugin } from '../engine/scenario.js';
import type { IterationResult, IterationSink } from '../engine/types.js';
import { StopController, runWorkload } from '../engine/workload.js';
import { findPlugin } from '../plugins/registry.js';
import { IterationErrorCollector, type IterationErrorSummary } from '../report/iteration-errors.js';
import { StatsAccumulator } from '../report/stats.js';
import {
  taskPassedSla,
  type SubtaskRunRecord,
  type TaskRunRecord,
  type TaskRunStatus,
  type WorkloadRunRecord,
} from '../report/types.js';
import { SlaChecker, slaPassed } from '../sla/index.js';
import { workloadRunner, workloadScenario, type LoadedTask, type WorkloadConfig } from '../task/types.js';

/** What a caller sees of a run while it goes on (the CLI draws progress and prints results from it). */
export interface TaskRunObserver {
  workloadStarted?(info: { index: number; count: number; scenario: string; runner: string; expected?: number }): void;
  iterationsDone?(done: number, failed: number): void;
  workloadFinished?(record: WorkloadRunRecord, errors: IterationErrorSummary): void;
}

export interface RunTaskOptions {
  /** results folder; iteration streams go to `<outDir>/iterations/` */
  outDir: string;
  /** stop a workload at its first SLA failure and run no further workloads (Rally's --abort-on-sla-failure) */
  abortOnSlaFailure?: boolean;
  /** aborting it stops the run: no new iterations, cleanups run, partial results come back */
  signal?: AbortSignal;
  observer?: TaskRunObserver;
  envName?: string;
  envUuid?: string;
  /** working directory for hook commands (default: the process's) */
  cwd?: string;
  /** platform data (credentials) handed to contexts and scenarios */
  environment?: Record<string, unknown>;
  /** the task's uuid (default: a new random one) */
  taskUuid?: string;
}

export interface TaskRunOutcome {
  record: TaskRunRecord;
  /** iteration errors per workload uuid, for the console and JUnit */
  errors: Map<string, IterationErrorSummary>;
}

/** Counts failures for the progress line; the engine's own tally is only reported at the end. */
class FailureCounter implements IterationSink {
  done = 0;
  failed = 0;
  onIteration(result: IterationResult): void {
    this.done++;
    if (result.error.length > 0) this.failed++;
  }
}

export async function runTask(task: LoadedTask, options: RunTaskOptions): Promise<TaskRunOutcome> {
  const taskUuid = options.taskUuid ?? randomUUID();
  const createdAt = nowIso();
  const errors = new Map<string, IterationErrorSummary>();
  const subtasks: SubtaskRunRecord[] = [];
  const workloadCount = task.config.subtasks.reduce((n, s) => n + s.workloads.length, 0);
  let index = 0;
  let stopRest: 'sla' | 'manual' | 'crashed' | undefined;

  for (const [subtaskIndex, subtaskConfig] of task.config.subtasks.entries()) {
    if (stopRest || options.signal?.aborted) break;
    const subtask: SubtaskRunRecord = {
      uuid: randomUUID(),
      config: subtaskConfig,
      status: 'running',
      createdAt: nowIso(),
      updatedAt: nowIso(),
      workloads: [],
    };
    subtasks.push(subtask);

    for (const [position, workload] of subtaskConfig.workloads.entries()) {
      if (stopRest || options.signal?.aborted) break;
      index++;
      const { record, errorSummary } = await runOneWorkload(workload, {
        ...options,
        taskUuid,
        subtaskIndex,
        position,
        index,
        workloadCount,
      });
      subtask.workloads.push(record);
      errors.set(record.summary.uuid, errorSummary);
      options.observer?.workloadFinished?.(record, errorSummary);
      if (record.summary.aborted) stopRest = record.summary.aborted;
      else if (record.summary.unexpectedFailure && options.abortOnSlaFailure) stopRest = 'crashed';
    }
    subtask.status = stopRest || options.signal?.aborted ? 'aborted' : 'finished';
    subtask.updatedAt = nowIso();
  }

  const status: TaskRunStatus = stopRest || options.signal?.aborted ? 'aborted' : 'finished';
  const record: TaskRunRecord = {
    uuid: taskUuid,
    task: task.config,
    title: task.config.title,
    description: task.config.description,
    tags: task.config.tags,
    envName: options.envName ?? 'none',
    envUuid: options.envUuid ?? '00000000-0000-0000-0000-000000000000',
    status,
    createdAt,
    updatedAt: nowIso(),
    passSla: taskPassedSla(subtasks),
    subtasks,
  };
  return { record, errors };
}

interface WorkloadPlace extends RunTaskOptions {
  taskUuid: string;
  subtaskIndex: number;
  position: number;
  index: number;
  workloadCount: number;
}

async function runOneWorkload(
  workload: WorkloadConfig,
  place: WorkloadPlace,
): Promise<{ record: WorkloadRunRecord; errorSummary: IterationErrorSummary }> {
  const scenario = workloadScenario(workload);
  const runner = workloadRunner(workload);
  const sla = new SlaChecker(workload.sla);
  const stats = new StatsAccumulator();
  const errors = new IterationErrorCollector();
  const failures = new FailureCounter();
  const stop = new StopController();
  const sinks: IterationSink[] = [sla, stats, errors, failures];
  if (place.abortOnSlaFailure) {
    sinks.push({ onIteration: () => (sla.failing ? stop.request('sla') : undefined) });
  }

  place.observer?.workloadStarted?.({
    index: place.index,
    count: place.workloadCount,
    scenario: scenario.name,
    runner: runner.type,
    expected: expectedIterations(runner.type, runner.config),
  });
  const uuid = randomUUID();
  const summary = await runWorkload({
    workload,
    uuid,
    taskUuid: place.taskUuid,
    subtaskIndex: place.subtaskIndex,
    position: place.position,
    iterationsFile: join(place.outDir, 'iterations', `${place.subtaskIndex}-${place.position}-${safeFileName(scenario.name)}.ndjson`),
    sinks,
    signal: place.signal,
    stop,
    onProgress: () => place.observer?.iterationsDone?.(failures.done, failures.failed),
    cwd: place.cwd,
    environment: place.environment,
  });
  summary.slaResults = sla.results({
    abortedOnSla: summary.aborted === 'sla',
    abortedManually: summary.aborted === 'manual',
    crashed: summary.unexpectedFailure,
  });
  summary.passSla = slaPassed(summary.slaResults);

  const plugin = findPlugin<ScenarioPlugin>('scenario', scenario.name);
  return {
    record: {
      config: workload,
      description: workload.description ?? plugin?.description ?? '',
      summary,
      statistics: stats.statistics(),
    },
    errorSummary: errors.summary(),
  };
}

/** Iterations a runner will launch, when it is a fixed number (for the progress bar). */
function expectedIterations(type: string, config: Record<string, unknown>): number | undefined {
  if (type === 'constant' || type === 'serial' || type === 'rps') {
    const times = config['times'];
    return typeof times === 'number' ? times : 1;
  }
  return undefined;
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

function nowIso(): string {
  return isoSeconds(epochSecondsNow());
}
