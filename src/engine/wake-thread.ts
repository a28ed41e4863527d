/**
 * A helper thread that wakes the main thread at a precise instant without spinning.
 *
 * setTimeout has millisecond granularity and fires ~1 ms late; polling the clock for the last
 * milliseconds gives precision but burns CPU, and with dense deadlines (e.g. rps 1000 of 10 ms
 * sleeps) it burns a whole core, which the cloud under test on the same machine needs. This thread
 * blocks in Atomics.wait with the remaining time as timeout (a futex with a nanosecond timeout,
 * typically ~0.05-0.1 ms late) and then posts a message, which wakes the main event loop.
 * The main thread only asks it for the final approach (the last ~2 ms) of each deadline.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

// Plain JS evaluated in the worker (no TypeScript there). Slot 0: generation, bumped by the main
// thread on every new request (and set to -1 to stop); slot 1 (as float64): the deadline in
// hrtime milliseconds, or Infinity for none.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
const control = new Int32Array(workerData, 0, 2);
const deadline = new Float64Array(workerData, 8, 1);
const now = () => Number(process.hrtime.bigint()) / 1e6;
for (;;) {
  const generation = Atomics.load(control, 0);
  if (generation < 0) break;
  const remaining = deadline[0] - now();
  if (remaining > 0) {
    Atomics.wait(control, 0, generation, remaining === Infinity ? undefined : remaining);
    continue;
  }
  parentPort.postMessage(generation);
  Atomics.wait(control, 0, generation);
}
`;

export class WakeThread {
  private readonly control: Int32Array;
  private readonly deadline: Float64Array;
  private readonly worker: Worker;
  /** hrtime ms minus performance.now() ms, both monotonic: converts our deadlines for the worker */
  private readonly clockOffset: number;
  private onWake: (() => void) | undefined;
  private generation = 0;
  /** the thread is running (it takes a few ms to boot; until then callers poll) */
  ready = false;

  private constructor() {
    const shared = new SharedArrayBuffer(16);
    this.control = new Int32Array(shared, 0, 2);
    this.deadline = new Float64Array(shared, 8, 1);
    this.deadline[0] = Infinity;
    this.clockOffset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
    this.worker = new Worker(workerSource, { eval: true, workerData: shared });
    this.worker.on('message', (generation: number) => {
      if (generation !== this.generation) return; // an answer to a request since replaced
      const callback = this.onWake;
      this.cancel();
      callback?.();
    });
    this.worker.once('online', () => (this.ready = true));
    // Should the thread die, hand a pending wake-up back at once (the scheduler then polls).
    const fail = (): void => {
      broken = true;
      this.ready = false;
      const callback = this.onWake;
      this.onWake = undefined;
      callback?.();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
    this.worker.unref();
  }

  /** Calls `onWake` once the monotonic clock (performance.now() ms) reaches `deadline`; replaces any earlier request. */
  wakeAt(deadline: number, onWake: () => void): void {
    this.onWake = onWake;
    this.deadline[0] = deadline + this.clockOffset;
    this.bump();
    this.worker.ref(); // a pending wake-up keeps the process alive, like a timer
  }

  cancel(): void {
    if (!this.onWake) return;
    this.onWake = undefined;
    this.deadline[0] = Infinity;
    this.bump();
    this.worker.unref();
  }

  private bump(): void {
    this.generation = (this.generation + 1) & 0x3fffffff;
    Atomics.store(this.control, 0, this.generation);
    Atomics.notify(this.control, 0);
  }

  /**
   * The shared thread, or undefined until it exists (callers poll meanwhile). The first call
   * schedules its creation on the next turn of the event loop: creating a worker blocks the main
   * thread for a few ms, which must not happen in the middle of a burst of launches; booting it
   * then takes tens of ms on another core. Processes that never sleep never start it.
   */
  static get(): WakeThread | undefined {
    if (broken) return undefined;
    if (shared) return shared;
    if (!creating) {
      creating = true;
      setImmediate(() => {
        try {
          shared = new WakeThread();
        } catch {
          broken = true;
        }
      });
    }
    return undefined;
  }
}

let shared: WakeThread | undefined;
let creating = false;
let broken = false;
