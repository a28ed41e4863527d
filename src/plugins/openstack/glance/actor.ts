/**
 * What the Glance and Nova helpers need from their caller to time and pace their calls: a
 * scenario iteration (ScenarioContext fits as is) or a context's setup/cleanup (contextActor).
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { ContextRunApi } from '../../../engine/context.js';

export interface Actor {
  readonly signal: AbortSignal;
  /** times `fn` as atomic action `name` (Rally's atomic.ActionTimer) */
  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /** a sleep counted in the iteration's duration (Rally's utils.interruptable_sleep) */
  sleep(seconds: number): Promise<void>;
  /** a sleep counted as idle time (Rally's Scenario.sleep_between, used for pre-poll delays) */
  sleepBetween(minSeconds: number, maxSeconds?: number): Promise<void>;
}

/**
 * An Actor for contexts. Rally's contexts call the same services without an atomic-action
 * holder, so nothing is recorded in contexts_results: atomics just run the function.
 */
export function contextActor(api: Pick<ContextRunApi, 'signal'>): Actor {
  const pause = async (seconds: number): Promise<void> => {
    if (seconds > 0) await sleepMs(seconds * 1000, undefined, { signal: api.signal });
  };
  return {
    signal: api.signal,
    atomic: async (_name, fn) => fn(),
    sleep: pause,
    sleepBetween: (min, max) => pause(max === undefined ? min : min + Math.random() * (max - min)),
  };
}
