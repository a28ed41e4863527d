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
import { epochSecondsNow, isoSeconds, monotonicMs, preciseScheduler, type ScheduledCall } from './clock.js';
import { ContextManager } from './context.js';
import { formatContextError, TaskAbortedException } from './exceptions.js';
import { HookExecutor } from './hook.js';
import { IterationRun, type IterationSetup } from './iteration.js';
import { NdjsonWriter } from './ndjson.js';
import type { RunnerDriver, RunnerPlugin } from './runner.js';
import type { ScenarioPlugin, WorkloadInfo } from './scenario.js';
import type { IterationResult, IterationSink, WorkloadRunSummary } from './types.js';

export type StopReason = 'sla' | 'manual';

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

/** Rally's ResultConsumer accounting, without keeping the iterations. */
class IterationTally {
  total = 0;
  failed = 0;
  minTimestamp = Infinity;
  maxEnd = -Infinity;
  minDuration: number | null = null;
  maxDuration: number | null = null;

  add(result: IterationResult): void {
    this.total++;
    if (result.error.length > 0) this.failed++;
    if (result.timestamp < this.minTimestamp) this.minTimestamp = result.timestamp;
    const end = result.timestamp + result.duration;
    if (end > this.maxEnd) this.maxEnd = end;
    if (this.minDuration === null || result.duration < this.minDuration) this.minDuration = result.duration;
    if (this.maxDuration === null || result.duration > this.maxDuration) this.maxDuration = result.duration;
  }

  get loadDuration(): number {
    return this.total === 0 ? 0 : Math.max(this.maxEnd - this.minTimestamp, 0);
  }
}

/** Longest stretch of microtask-only work before the engine lets the event loop turn. */
const maxBusyMs = 20;

/** The engine side of a runner: launches, records, and tells the runner when to stop. */
class WorkloadDriver implements RunnerDriver {
  private nextIteration = 1;
  private readonly running = new Set<IterationRun>();
  private completionWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private readonly stopWaiters = new Set<() => void>();
  private yieldGate: Promise<void> | undefined;
  private lastYieldMono = monotonicMs();
  private lastProgressMono = -Infinity;
  stopReason: StopReason | undefined;
  /** first exception thrown by a sink: stops the run and is rethrown after cleanup */
  sinkFailure: unknown;
  readonly tally = new IterationTally();

  constructor(
    private readonly setup: IterationSetup,
    private readonly writer: NdjsonWriter,
    private readonly sinks: IterationSink[],
    private readonly hooks: HookExecutor,
    private readonly progress: { callback?: (done: number, total: number | undefined) => void; intervalMs: number; total: number | undefined },
  ) {}

  get stopRequested(): boolean {
    return this.stopReason !== undefined;
  }

  get inFlight(): number {
    return this.running.size;
  }

  requestStop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    for (const wake of [...this.stopWaiters]) wake();
    this.wakeCompletionWaiters();
  }

  /** Cancels every in-flight iteration (manual abort after its grace period). */
  cancelInFlight(): void {
    for (const run of [...this.running]) run.cancel(new TaskAbortedException());
  }

  launch(): Promise<void> {
    const run = new IterationRun(this.nextIteration++, this.setup);
    this.running.add(run);
    // Rally sends the "iteration" event as the iteration starts, before run().
    if (this.hooks.hasHooks) this.hooks.onIterationStart(run.iteration);
    run.start();
    return run.done.then((result) => this.record(run, result));
  }

  private record(run: IterationRun, result: IterationResult): Promise<void> | undefined {
    this.running.delete(run);
    this.tally.add(result);
    this.writer.write(result);
    for (const sink of this.sinks) {
      try {
        sink.onIteration(result);
      } catch (error) {
        this.sinkFailure ??= error;
        this.requestStop('manual');
      }
    }
    this.wakeCompletionWaiters();
    if (this.running.size === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const wake of waiters) wake();
    }
    const now = monotonicMs();
    if (this.progress.callback && now - this.lastProgressMono >= this.progress.intervalMs) {
      this.lastProgressMono = now;
      this.progress.callback(this.tally.total, this.progress.total);
    }
    return this.writer.blocked ?? this.maybeYield(now);
  }

  /**
   * Iterations that never wait (sleep 0) chain through microtasks only, which would starve
   * timers, I/O and signals; every `maxBusyMs` all launchers park on one shared setImmediate.
   */
  private maybeYield(now: number): Promise<void> | undefined {
    if (this.yieldGate) return this.yieldGate;
    if (now - this.lastYieldMono < maxBusyMs) return undefined;
    this.yieldGate = new Promise((resolve) =>
      setImmediate(() => {
        this.yieldGate = undefined;
        this.lastYieldMono = monotonicMs();
        resolve();
      }),
    );
    return this.yieldGate;
  }

  private wakeCompletionWaiters(): void {
    if (this.completionWaiters.length === 0) return;
    const waiters = this.completionWaiters;
    this.completionWaiters = [];
    for (const wake of waiters) wake();
  }

  async waitUntil(deadline: number): Promise<void> {
    while (this.writer.blocked && !this.stopRequested) await this.writer.blocked;
    if (this.stopRequested || deadline <= monotonicMs()) return;
    await new Promise<void>((resolve) => {
      let call: ScheduledCall | undefined = undefined;
      const done = (): void => {
        call?.cancel();
        this.stopWaiters.delete(done);
        resolve();
      };
      this.stopWaiters.add(done);
      call = preciseScheduler.at(deadline, done);
    });
    this.lastYieldMono = monotonicMs();
  }

  nextCompletion(): Promise<void> {
    if (this.stopRequested || this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.completionWaiters.push(resolve));
  }

  drain(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  reportFinalProgress(): void {
    this.progress.callback?.(this.tally.total, this.progress.total);
  }
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
    total: runner.plannedIterations(runnerConfig),
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
  if (driver.sinkFailure !== undefined) throw driver.sinkFailure;

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
