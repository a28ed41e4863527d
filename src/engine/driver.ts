/**
 * The engine side of a runner (RunnerDriver): launches iterations, records each finished one
 * (results file, sinks, counters, progress), and tells the runner when to stop.
 */
import { coarseScheduler, lastSchedulerTurnMs, monotonicMs, preciseScheduler, type ScheduledCall } from './clock.js';
import { TaskAbortedException } from './exceptions.js';
import type { HookExecutor } from './hook.js';
import { IterationRun, type IterationSetup } from './iteration.js';
import type { RunnerDriver } from './runner.js';
import type { IterationResult, IterationSink } from './types.js';

export type StopReason = 'sla' | 'manual';

/** Where finished iterations go first (the NDJSON file; a discarding encoder for the warm-up). */
export interface IterationWriter {
  writeIteration(result: IterationResult): void;
  /** a promise to wait on while the writer applies backpressure */
  readonly blocked: Promise<void> | undefined;
}

export interface ProgressOptions {
  callback?: (done: number, total: number | undefined) => void;
  intervalMs: number;
  total: number | undefined;
}

/** Rally's ResultConsumer accounting, without keeping the iterations. */
export class IterationTally {
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
export class WorkloadDriver implements RunnerDriver {
  private nextIteration = 1;
  private readonly running = new Set<IterationRun>();
  private completionWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private readonly stopWaiters = new Set<() => void>();
  private yieldGate: Promise<void> | undefined;
  private lastYieldMono = monotonicMs();
  private lastProgressMono = -Infinity;
  stopReason: StopReason | undefined;
  /** first exception thrown by the writer or a sink: stops the run and is rethrown after cleanup */
  recordingFailure: unknown;
  readonly tally = new IterationTally();

  constructor(
    private readonly setup: IterationSetup,
    private readonly writer: IterationWriter,
    private readonly sinks: IterationSink[],
    private readonly hooks: HookExecutor | undefined,
    private readonly progress: ProgressOptions,
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
    return new Promise((resolve) => {
      const run = new IterationRun(this.nextIteration++, this.setup, (finished, result) => {
        const wait = this.record(finished, result);
        if (wait) void wait.then(resolve);
        else resolve();
      });
      this.running.add(run);
      // Rally sends the "iteration" event as the iteration starts, before run().
      if (this.hooks?.hasHooks) this.hooks.onIterationStart(run.iteration);
      run.start();
    });
  }

  /**
   * An iteration ended. Its record goes to the writer and the sinks in a batch a little later
   * (setImmediate): when several iterations end together (concurrency 50 of equal sleeps), each
   * must take its end time, and its slot must launch the next iteration, before the others'
   * bookkeeping runs; otherwise every wave of a constant runner starts up to a millisecond late
   * and the delay adds up over the run. Completion order is kept; drain() waits for the batch.
   */
  private record(run: IterationRun, result: IterationResult): Promise<void> | undefined {
    this.running.delete(run);
    this.tally.add(result);
    this.unrecorded.push(result);
    if (this.unrecorded.length === 1) setImmediate(this.flushRecords);
    this.wakeCompletionWaiters();
    const now = monotonicMs();
    if (this.progress.callback && now - this.lastProgressMono >= this.progress.intervalMs) {
      this.lastProgressMono = now;
      this.progress.callback(this.tally.total, this.progress.total);
    }
    return this.writer.blocked ?? this.maybeYield(now);
  }

  private readonly unrecorded: IterationResult[] = [];

  private readonly flushRecords = (): void => {
    const results = this.unrecorded.splice(0);
    try {
      for (const result of results) {
        this.writer.writeIteration(result);
        for (const sink of this.sinks) sink.onIteration(result);
      }
    } catch (error) {
      this.recordingFailure ??= error;
      this.requestStop('manual');
    }
    if (this.running.size === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const wake of waiters) wake();
    }
  };

  /**
   * Iterations that never wait (sleep 0) chain through microtasks only, which would starve
   * timers, I/O and signals; every `maxBusyMs` all launchers park on one shared setImmediate.
   * Iterations woken by the clock's schedulers come from a turn of the event loop already: a
   * forced yield there would only hold every relaunch of a wave back (by most of a millisecond
   * with 50 equal sleeps), so the busy stretch is counted from the last such turn.
   */
  private maybeYield(now: number): Promise<void> | undefined {
    if (this.yieldGate) return this.yieldGate;
    if (now - Math.max(this.lastYieldMono, lastSchedulerTurnMs()) < maxBusyMs) return undefined;
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

  async waitUntil(deadline: number, precision: 'precise' | 'coarse' = 'precise'): Promise<void> {
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
      call = (precision === 'precise' ? preciseScheduler : coarseScheduler).at(deadline, done);
    });
    this.lastYieldMono = monotonicMs();
  }

  nextCompletion(): Promise<void> {
    if (this.stopRequested || this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.completionWaiters.push(resolve));
  }

  /** Resolves once no iteration is in flight and every finished one went to the writer and sinks. */
  drain(): Promise<void> {
    if (this.running.size === 0 && this.unrecorded.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  reportFinalProgress(): void {
    this.progress.callback?.(this.tally.total, this.progress.total);
  }
}
