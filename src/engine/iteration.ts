/**
 * One scenario iteration: the ScenarioContext given to run(), the timing of run() (Rally's
 * rally/task/runner.py _run_scenario_once), and its interruption by timeout or cancellation.
 */
import { AtomicRecorder } from './atomic.js';
import { validateOutput, type OutputKind } from './charts.js';
import {
  coarseScheduler,
  epochSecondsAt,
  monotonicMs,
  preciseScheduler,
  SleepInterrupted,
  type ScheduledCall,
} from './clock.js';
import { formatIterationError, RallyException, ScenarioError, ThreadTimeoutException } from './exceptions.js';
import type { ContextData, ScenarioContext, ScenarioPlugin, WorkloadInfo } from './scenario.js';
import type { Chart, IterationResult, IterationOutput } from './types.js';

/** What every iteration of one workload shares. */
export interface IterationSetup {
  scenario: ScenarioPlugin<any>;
  args: unknown;
  context: Readonly<ContextData>;
  workload: WorkloadInfo;
  /** seconds, 0 = none */
  timeoutSeconds: number;
  randomSeed?: number;
}

const noOutput: IterationOutput = Object.freeze({ additive: [], complete: [] }) as unknown as IterationOutput;

/** mulberry32: tiny, fast, good enough for choosing dummy values deterministically. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A running iteration. Its record is made exactly once, by whatever comes first: run() settling,
 * the timeout firing, or the engine cancelling it. A scenario still running after its record was
 * made (it ignored the signal) goes on in the background; nothing it does is recorded any more.
 */
export class IterationRun implements ScenarioContext {
  readonly context: Readonly<ContextData>;
  readonly workload: WorkloadInfo;
  readonly random: () => number;
  private readonly atomics = new AtomicRecorder();
  private output: IterationOutput = noOutput;
  private idleSeconds = 0;
  private startMono = 0;
  private controller: AbortController | undefined;
  /** reason the iteration was interrupted, once it was */
  private interruption: Error | undefined;
  /** sleeps in progress, so interruption can wake them (created on the first real sleep) */
  private pendingSleeps: Set<(error: Error) => void> | undefined;
  private timeoutCall: ScheduledCall | undefined;
  private settled = false;

  /** `onDone` receives the record once the iteration is over, exactly once. */
  constructor(
    readonly iteration: number,
    private readonly setup: IterationSetup,
    private readonly onDone: (run: IterationRun, result: IterationResult) => void,
  ) {
    this.context = setup.context;
    this.workload = setup.workload;
    this.random = setup.randomSeed === undefined ? Math.random : seededRandom(setup.randomSeed * 1_000_003 + iteration);
  }

  /** Created on first use: most scenarios never look at it, and it costs a microsecond. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.interruption) this.controller.abort(this.interruption);
    }
    return this.controller.signal;
  }

  /** Starts run(); returns at once. */
  start(): void {
    const { timeoutSeconds } = this.setup;
    this.startMono = monotonicMs();
    if (timeoutSeconds > 0) {
      this.timeoutCall = coarseScheduler.at(this.startMono + timeoutSeconds * 1000, () => this.onTimeout());
    }
    let outcome: Promise<void> | void;
    try {
      outcome = this.setup.scenario.run(this, this.setup.args);
    } catch (error) {
      this.finish(error);
      return;
    }
    if (outcome && typeof (outcome as Promise<void>).then === 'function') {
      (outcome as Promise<void>).then(
        () => this.finish(undefined),
        (error: unknown) => this.finish(error),
      );
    } else {
      this.finish(undefined);
    }
  }

  /** Interrupts the iteration now and records `error` (e.g. the task was aborted). */
  cancel(error: Error): void {
    this.interrupt(error, monotonicMs());
  }

  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    return this.atomics.time(name, fn);
  }

  sleep(seconds: number): Promise<void> {
    if (this.interruption) return Promise.reject(this.interruption);
    if (!(seconds > 0)) {
      if (seconds < 0 || Number.isNaN(seconds)) return Promise.reject(new ScenarioError('ValueError', 'sleep_time should be >= 0'));
      return Promise.resolve();
    }
    const sleeps = (this.pendingSleeps ??= new Set());
    return new Promise<void>((resolve, reject) => {
      const wake = (error: Error): void => {
        call.cancel();
        sleeps.delete(wake);
        reject(error);
      };
      const call = preciseScheduler.at(monotonicMs() + seconds * 1000, () => {
        sleeps.delete(wake);
        resolve();
      });
      sleeps.add(wake);
    });
  }

  async sleepBetween(minSeconds: number, maxSeconds: number = minSeconds): Promise<void> {
    if (!(minSeconds >= 0 && minSeconds <= maxSeconds)) {
      throw new RallyException('0 <= min_sleep <= max_sleep', 'InvalidArgumentsException');
    }
    const seconds = minSeconds + (maxSeconds - minSeconds) * this.random();
    await this.sleep(seconds);
    this.idleSeconds += seconds;
  }

  addOutput(kind: OutputKind, chart: Chart): void {
    const problem = validateOutput(kind, chart);
    if (problem) throw new RallyException(problem);
    if (this.output === noOutput) this.output = { additive: [], complete: [] };
    this.output[kind].push(chart);
  }

  private onTimeout(): void {
    this.timeoutCall = undefined;
    const timeoutMs = this.setup.timeoutSeconds * 1000;
    this.interrupt(new ThreadTimeoutException(), this.startMono + timeoutMs);
  }

  /** Records the iteration as failed with `error`, ended at monotonic `endMono`, and wakes run(). */
  private interrupt(error: Error, endMono: number): void {
    if (this.settled || this.interruption) return;
    this.interruption = error;
    this.atomics.freeze(epochSecondsAt(endMono));
    this.complete(error, endMono);
    this.controller?.abort(error);
    if (this.pendingSleeps) for (const wake of [...this.pendingSleeps]) wake(error);
  }

  private finish(error: unknown): void {
    if (this.settled) return;
    this.complete(error, monotonicMs());
  }

  private complete(error: unknown, endMono: number): void {
    this.settled = true;
    this.timeoutCall?.cancel();
    // Whole nanoseconds, so that the NDJSON text (9 decimals) parses back to these exact doubles.
    const elapsedNs = Math.round((endMono - this.startMono) * 1e6);
    const idleNs = Math.round(this.idleSeconds * 1e9);
    // Key order as Rally's raw results.
    const result: IterationResult = {
      duration: (elapsedNs - idleNs) / 1e9,
      timestamp: epochSecondsAt(this.startMono),
      idle_duration: idleNs / 1e9,
      error: error === undefined ? [] : formatIterationError(unwrapSleepInterrupted(error)),
      output: this.output,
      atomic_actions: this.atomics.actions,
    };
    this.onDone(this, result);
  }
}

function unwrapSleepInterrupted(error: unknown): unknown {
  return error instanceof SleepInterrupted && error.reason instanceof Error ? error.reason : error;
}
