/**
 * runWorkload: one workload from start to end, like Rally's TaskEngine._run_workload with its
 * ResultConsumer: contexts setup -> runner (with hooks) -> contexts cleanup.
 *
 * Every finished iteration is appended to an NDJSON file (one IterationResult per line, in
 * completion order) and handed to every sink (SLA checker, statistics, ...), in the same order.
 * The engine itself keeps only counters and extremes, so memory does not grow with iterations.
 *
 * Stopping early:
 * - `signal` (Ctrl-C, `task abort`): no new iterations; in-flight ones get `abortGraceSeconds` to
 *   finish, then are cancelled and recorded as failed with TaskAborted (Rally lets them run to
 *   their end; a gate must not hang on a stuck call). Contexts are still cleaned up.
 *   Summary: aborted 'manual'.
 * - `stop.request('sla')` (e.g. a sink that sees an SLA fail with --abort-on-sla-failure): no new
 *   iterations; in-flight ones finish normally (Rally's soft abort). Summary: aborted 'sla'.
 */
import { InputError } from '../common/errors.js';
import type { JsonObject } from '../common/json.js';
import { findPlugin } from '../plugins/registry.js';
import { workloadRunner, workloadScenario, type WorkloadConfig } from '../task/types.js';
import { epochSecondsNow, isoSeconds, monotonicMs } from './clock.js';
import { ContextManager } from './context.js';
import { formatContextError } from './exceptions.js';
import { HookExecutor } from './hook.js';
import type { IterationSetup } from './iteration.js';
import { WorkloadDriver, type StopReason } from './driver.js';
import { NdjsonWriter } from './ndjson.js';
import type { RunnerPlugin } from './runner.js';
import type { ScenarioPlugin, WorkloadInfo } from './scenario.js';
import type { IterationSink, WorkloadRunSummary } from './types.js';
import { warmUpEngine } from './warmup.js';

export type { StopReason } from './driver.js';

/** Lets anyone (typically a sink) ask a running workload to stop launching iterations. */
export class StopController {
  private current: StopReason | undefined;
  private readonly listeners = new Set<(reason: StopReason) => void>();

  get reason(): StopReason | undefined {
    return this.current;
  }

  /** The first request wins; later ones are ignored. */
  request(reason: StopReason = 'sla'): void {
    if (this.current) return;
    this.current = reason;
    for (const listener of this.listeners) listener(reason);
  }

  onRequest(listener: (reason: StopReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface RunWorkloadOptions {
  /** the normalised workload (scenario, runner, contexts, hooks; sla is for the caller's sinks) */
  workload: WorkloadConfig;
  /** workload uuid (Rally's owner_id of resources its contexts create) */
  uuid: string;
  taskUuid: string;
  subtaskIndex: number;
  /** index of the workload in its subtask */
  position: number;
  /** NDJSON output, created or truncated (its directory too) */
  iterationsFile: string;
  /** receive every IterationResult in completion order, after it was written */
  sinks?: IterationSink[];
  /** manual abort (Ctrl-C) */
  signal?: AbortSignal;
  /** stop requests from sinks, e.g. `stop.request('sla')` for --abort-on-sla-failure */
  stop?: StopController;
  /** called at most every `progressIntervalMs` (default 200) and once at the end */
  onProgress?: (done: number, total: number | undefined) => void;
  progressIntervalMs?: number;
  /** working directory of hook commands (sys_call); default process.cwd(), like Rally */
  cwd?: string;
  /** seconds in-flight iterations may go on after a manual abort before being cancelled (default 2) */
  abortGraceSeconds?: number;
  /** makes ctx.random() deterministic per iteration (tests, reproducible dummy runs) */
  randomSeed?: number;
  /** platform data (credentials, ...) for contexts and scenarios: WorkloadInfo.environment */
  environment?: Record<string, unknown>;
}

/** Runs one workload; see the module comment. Throws InputError for plugins rally-gate lacks. */
export async function runWorkload(opts: RunWorkloadOptions): Promise<WorkloadRunSummary> {
  const { workload } = opts;
  const { name: scenarioName, args } = workloadScenario(workload);
  const { type: runnerType, config: runnerConfig } = workloadRunner(workload);
  const scenario = findPlugin<ScenarioPlugin<any>>('scenario', scenarioName);
  if (!scenario) throw new InputError(`scenario "${scenarioName}" is not implemented by rally-gate`);
  const runner = findPlugin<RunnerPlugin>('runner', runnerType);
  if (!runner) throw new InputError(`runner "${runnerType}" is not implemented by rally-gate`);

  const createdAt = isoSeconds(epochSecondsNow());
  // First, so that V8 finishes optimising in the background while we open files and set up
  // contexts. A handful of iterations has nothing to gain from it.
  const planned = runner.plannedIterations(runnerConfig);
  if (planned === undefined || planned > 10) await warmUpEngine();
  const info: WorkloadInfo = {
    taskUuid: opts.taskUuid,
    workloadUuid: opts.uuid,
    scenarioName,
    subtaskIndex: opts.subtaskIndex,
    position: opts.position,
    environment: opts.environment ?? {},
  };
  // Aborted on manual stop only: tells contexts to give up a long setup.
  const contextAbort = new AbortController();
  const contexts = new ContextManager(scenario.defaultContexts ?? {}, workload.contexts ?? {}, info, contextAbort.signal);
  const hooks = new HookExecutor(workload.hooks ?? [], opts.cwd ?? process.cwd());
  const writer = await NdjsonWriter.open(opts.iterationsFile);

  const setup: IterationSetup = {
    scenario,
    args: deepFreeze(structuredClone(args ?? {})),
    context: contexts.data,
    workload: info,
    timeoutSeconds: runner.iterationTimeout(runnerConfig),
    ...(opts.randomSeed === undefined ? {} : { randomSeed: opts.randomSeed }),
  };
  const driver = new WorkloadDriver(setup, writer, opts.sinks ?? [], hooks, {
    ...(opts.onProgress ? { callback: opts.onProgress } : {}),
    intervalMs: opts.progressIntervalMs ?? 200,
    total: planned,
  });

  let graceTimer: NodeJS.Timeout | undefined;
  /** what stopped the run from outside (not set when a failure stopped it) */
  let abortedBy: StopReason | undefined;
  const stop = (reason: StopReason): void => {
    if (driver.stopRequested) return;
    abortedBy = reason;
    driver.requestStop(reason);
    if (reason === 'manual') {
      contextAbort.abort();
      graceTimer = setTimeout(() => driver.cancelInFlight(), (opts.abortGraceSeconds ?? 2) * 1000);
    }
  };
  const onAbortSignal = (): void => stop('manual');
  opts.signal?.addEventListener('abort', onAbortSignal, { once: true });
  const unsubscribe = opts.stop?.onRequest(stop);
  if (opts.signal?.aborted) stop('manual');
  else if (opts.stop?.reason) stop(opts.stop.reason);

  const startMono = monotonicMs();
  let unexpectedFailure: unknown;
  try {
    await contexts.setup();
    if (!driver.stopRequested) await runner.run(driver, runnerConfig as JsonObject);
    await driver.drain();
  } catch (error) {
    unexpectedFailure = error ?? new Error('workload failed');
    driver.requestStop('manual');
    driver.cancelInFlight();
  } finally {
    await contexts.cleanup();
  }
  const finishMono = monotonicMs();
  if (graceTimer) clearTimeout(graceTimer);
  opts.signal?.removeEventListener('abort', onAbortSignal);
  unsubscribe?.();

  const hookResults = await hooks.finish();
  await writer.close();
  driver.reportFinalProgress();
  if (driver.recordingFailure !== undefined) throw driver.recordingFailure;

  const { tally } = driver;
  const summary: WorkloadRunSummary = {
    uuid: opts.uuid,
    subtaskIndex: opts.subtaskIndex,
    position: opts.position,
    iterationsFile: opts.iterationsFile,
    totalIterationCount: tally.total,
    failedIterationCount: tally.failed,
    startTime: tally.total === 0 ? null : tally.minTimestamp,
    loadDuration: tally.loadDuration,
    fullDuration: (finishMono - startMono) / 1000,
    minDuration: tally.minDuration,
    maxDuration: tally.maxDuration,
    createdAt,
    updatedAt: isoSeconds(epochSecondsNow()),
    contextsResults: contexts.results(),
    hooks: hookResults,
    slaResults: [],
    passSla: true,
    runnerConfig: runnerConfig as JsonObject,
  };
  if (unexpectedFailure !== undefined) summary.unexpectedFailure = formatContextError(unexpectedFailure);
  if (abortedBy) summary.aborted = abortedBy;
  return summary;
}

/** Rally deep-copies args for each iteration; freezing them once gives the same isolation for free. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
