/**
 * Time for the engine: one monotonic clock for every measurement, and epoch timestamps derived
 * from it through a single anchor (never Date.now() per iteration), so that durations and
 * differences of timestamps are immune to wall-clock jumps (NTP steps, manual changes).
 *
 * Also the precise waits: Node's setTimeout has millisecond granularity and usually overshoots by
 * ~1 ms, which would make `sleep 0.1` iterations take 0.101-0.102 s. Waiters are kept in one shared
 * scheduler (a min-heap of deadlines): a single timer sleeps coarsely until ~2 ms before the
 * earliest deadline; the final approach is handed to a helper thread that blocks precisely
 * (wake-thread.ts) until 0.5 ms before it, and the last 0.5 ms are polled on the monotonic clock
 * with setImmediate (which still lets I/O run). Without the thread, the last 2 ms are polled.
 * One scheduler serves any number of waiters, so concurrency 50+ costs one timer, not fifty.
 */
import { performance } from 'node:perf_hooks';
import { WakeThread } from './wake-thread.js';

/** The part of a wait that is always polled (covers the helper thread's wake-up latency). */
const finalPollMs = 0.5;

/** Monotonic milliseconds (arbitrary origin, sub-microsecond resolution). */
export function monotonicMs(): number {
  return performance.now();
}

/**
 * Epoch milliseconds at monotonic 0. performance.timeOrigin is captured once at process start
 * with sub-millisecond precision, which is exactly the single anchor we want.
 */
const epochAnchorMs = performance.timeOrigin;

/** Epoch seconds (float, like Python's time.time()) of a monotonic instant. */
export function epochSecondsAt(monotonic: number): number {
  return (epochAnchorMs + monotonic) / 1000;
}

/** Epoch seconds now, derived from the monotonic clock. */
export function epochSecondsNow(): number {
  return epochSecondsAt(performance.now());
}

/** ISO-8601 date at second resolution without zone, like Rally's created_at/updated_at. */
export function isoSeconds(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000).toISOString().slice(0, 19);
}

/** Error thrown by interrupted waits; scenarios normally let it propagate. */
export class SleepInterrupted extends Error {
  constructor(readonly reason: unknown) {
    super('sleep interrupted');
    this.name = 'SleepInterrupted';
  }
}

/**
 * Monotonic time at which a scheduler last ran its callbacks from a macrotask (timer, helper
 * thread message, setImmediate poll): proof that the event loop turned then. The engine uses it
 * to tell a run whose iterations wait on the clock (the loop turns all the time) from one that
 * chains through microtasks only (sleep 0), which alone needs a forced yield.
 */
let lastLoopTurnMono = -Infinity;

/** When a scheduler last fired from the event loop (monotonic ms; -Infinity if never). */
export function lastSchedulerTurnMs(): number {
  return lastLoopTurnMono;
}

interface Waiter {
  deadline: number;
  callback: () => void;
  /** position in the heap, -1 once removed */
  index: number;
}

/** A handle to cancel a scheduled callback. */
export interface ScheduledCall {
  cancel(): void;
}

/**
 * Runs callbacks at monotonic deadlines. `spinMarginMs` is how long before a deadline the
 * scheduler stops trusting setTimeout and starts polling; 0 makes it a plain coarse timer
 * (used for iteration timeouts, where a millisecond late does not matter).
 */
export class DeadlineScheduler {
  private readonly heap: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** monotonic time the armed timer is expected to fire at */
  private timerDueAt = Infinity;
  private polling = false;
  /** the helper thread has a wake-up request of ours */
  private threadArmed = false;

  /**
   * `spinMarginMs`: how long before a deadline setTimeout stops being trusted (0 = coarse: plain
   * timers, no polling). `useWakeThread`: hand that final approach to the shared helper thread
   * (one scheduler per process may use it: it serves one request at a time).
   */
  constructor(
    private readonly spinMarginMs: number,
    private readonly useWakeThread = false,
  ) {}

  get pending(): number {
    return this.heap.length;
  }

  /** Calls `callback` once the monotonic clock reaches `deadline` (ms). */
  at(deadline: number, callback: () => void): ScheduledCall {
    const waiter: Waiter = { deadline, callback, index: this.heap.length };
    this.heap.push(waiter);
    this.siftUp(waiter.index);
    if (waiter.index === 0) this.wake();
    return { cancel: () => this.remove(waiter) };
  }

  private remove(waiter: Waiter): void {
    const i = waiter.index;
    if (i < 0) return;
    waiter.index = -1;
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.index = i;
      this.siftDown(i);
      this.siftUp(last.index);
    }
    if (this.heap.length === 0) this.disarm();
  }

  /** (Re)arms the timer or the polling loop for the current earliest deadline. */
  private wake(): void {
    if (this.polling) return;
    const first = this.heap[0];
    if (!first) {
      this.disarm();
      return;
    }
    const now = performance.now();
    const coarseAt = first.deadline - this.spinMarginMs;
    // Precise mode takes over once the deadline is near; coarse mode only polls when it has passed.
    if (this.spinMarginMs > 0 ? coarseAt - now <= 1 : coarseAt <= now) {
      this.disarm();
      const thread = this.useWakeThread && first.deadline - now > finalPollMs ? WakeThread.get() : undefined;
      if (thread?.ready) {
        this.threadArmed = true;
        thread.wakeAt(first.deadline - finalPollMs, this.onThreadWake);
        return;
      }
      this.polling = true;
      setImmediate(this.poll);
      return;
    }
    // Start the helper thread early (while this wait is still long): it needs some ms to boot.
    if (this.useWakeThread) WakeThread.get();
    // Armed to fire no later than needed: keep it (an early firing just re-arms), saves a setTimeout per waiter.
    if (this.timer && this.timerDueAt <= coarseAt) return;
    this.disarm();
    const delay = Math.max(1, Math.floor(coarseAt - now));
    this.timerDueAt = now + delay;
    this.timer = setTimeout(this.onTimer, delay);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Infinity;
    if (this.threadArmed) {
      this.threadArmed = false;
      WakeThread.get()?.cancel();
    }
  }

  private readonly onThreadWake = (): void => {
    this.threadArmed = false;
    this.fireDue();
    this.wake();
  };

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    this.fireDue();
    this.wake();
  };

  private readonly poll = (): void => {
    this.polling = false;
    this.fireDue();
    this.wake();
  };

  private fireDue(): void {
    let now = performance.now();
    lastLoopTurnMono = now;
    let first = this.heap[0];
    while (first && first.deadline <= now) {
      this.remove(first);
      first.callback();
      now = performance.now();
      first = this.heap[0];
    }
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.deadline <= item.deadline) break;
      heap[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    heap[i] = item;
    item.index = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && heap[right]!.deadline < heap[left]!.deadline ? right : left;
      const childItem = heap[child]!;
      if (childItem.deadline >= item.deadline) break;
      heap[i] = childItem;
      childItem.index = i;
      i = child;
    }
    heap[i] = item;
    item.index = i;
  }
}

/** Shared precise scheduler for sleeps inside iterations (final approach: helper thread, then polling). */
export const preciseScheduler = new DeadlineScheduler(2, true);
/**
 * Shared coarse scheduler (setTimeout precision, ~1 ms late, no polling): iteration timeouts, hook
 * time events, rps launches. The rps runner keeps its launches on an absolute timeline, so a late
 * wake-up never shifts the rate; polling there would burn a core for the whole run at high rates,
 * CPU that the cloud under test on the same machine needs.
 */
export const coarseScheduler = new DeadlineScheduler(0);

/**
 * Resolves when the monotonic clock reaches `deadline` (ms); rejects with SleepInterrupted if
 * `signal` aborts first. A deadline already passed resolves at once (no event-loop turn).
 */
export function sleepUntil(deadline: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new SleepInterrupted(signal.reason));
  if (deadline <= performance.now()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      call.cancel();
      reject(new SleepInterrupted(signal!.reason));
    };
    const call = preciseScheduler.at(deadline, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Precise, interruptible sleep of `seconds` on the monotonic clock. */
export function preciseSleep(seconds: number, signal?: AbortSignal): Promise<void> {
  if (seconds <= 0) {
    return signal?.aborted ? Promise.reject(new SleepInterrupted(signal.reason)) : Promise.resolve();
  }
  return sleepUntil(performance.now() + seconds * 1000, signal);
}
