/**
 * Atomic actions: named, nested timers inside an iteration (or a context's setup/cleanup),
 * recorded like rally/task/atomic.py ActionTimer: a new action is attached under the deepest
 * still-running action, gets `failed: true` when its block throws (so do its parents as the
 * error propagates through them), and key order is Rally's (name, children, started_at,
 * finished_at, failed).
 */
import { epochSecondsNow } from './clock.js';
import type { AtomicAction } from './types.js';

/** An action being recorded; finished_at is absent while it runs (that is how Rally finds the parent). */
type OpenAction = Omit<AtomicAction, 'finished_at'> & { finished_at?: number };

export class AtomicRecorder {
  private readonly roots: OpenAction[] = [];
  /** once frozen (iteration finalised on timeout/abort), late finishes no longer change the record */
  private frozen = false;

  /** The recorded actions. Complete once every timed block has ended (or after freeze()). */
  get actions(): AtomicAction[] {
    return this.roots as AtomicAction[];
  }

  /** Times `fn` as the atomic action `name`. (Hand-written promise chain: one allocation less than async/await.) */
  time<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const action = this.start(name);
    let outcome: T | Promise<T>;
    try {
      outcome = fn();
    } catch (error) {
      this.finish(action, true);
      return Promise.reject(error);
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (value) => {
          this.finish(action, false);
          return value;
        },
        (error: unknown) => {
          this.finish(action, true);
          throw error;
        },
      );
    }
    this.finish(action, false);
    return Promise.resolve(outcome);
  }

  /** Starts an action by hand (for callers that cannot wrap a block); end it with finish(). */
  start(name: string): OpenAction {
    const action: OpenAction = { name, children: [], started_at: epochSecondsNow() };
    if (!this.frozen) this.findParent().push(action);
    return action;
  }

  finish(action: OpenAction, failed: boolean): void {
    if (this.frozen || action.finished_at !== undefined) return;
    action.finished_at = epochSecondsNow();
    if (failed) action.failed = true;
  }

  /**
   * Closes every still-running action at `epochSeconds` as failed (the iteration was interrupted
   * inside them, as Rally's async ThreadTimeoutException would do) and stops recording.
   */
  freeze(epochSeconds: number): void {
    if (this.frozen) return;
    let level: OpenAction[] = this.roots;
    for (;;) {
      const last = level[level.length - 1];
      if (!last || last.finished_at !== undefined) break;
      last.finished_at = epochSeconds;
      last.failed = true;
      level = last.children as OpenAction[];
    }
    this.frozen = true;
  }

  private findParent(): OpenAction[] {
    let level: OpenAction[] = this.roots;
    for (;;) {
      const last = level[level.length - 1];
      if (!last || last.finished_at !== undefined) return level;
      level = last.children as OpenAction[];
    }
  }
}
