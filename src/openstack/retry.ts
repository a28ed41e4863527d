/**
 * Retrying what a short outage broke. Cleanup must delete what a run created even when a service
 * restarts or drops connections for a few seconds (a worker recycled, a failover); a refusal of the
 * request itself (4xx) is not retried: it would fail again.
 */
import { OpenStackConnectionError, OpenStackHttpError } from './errors.js';

/** No answer at all, or the service said it could not serve now (5xx). */
export function isTransientFault(error: unknown): boolean {
  return error instanceof OpenStackConnectionError || (error instanceof OpenStackHttpError && error.status >= 500);
}

export interface TransientRetryOptions {
  /** calls in all (default 5) */
  attempts?: number;
  /** wait before the 2nd call, doubling after (default 500 ms: 0.5 + 1 + 2 + 4 s ride out a ~7 s outage) */
  firstDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `fn` until it succeeds, retrying transient faults with exponential backoff; rethrows the rest at once. */
export async function retryTransient<T>(fn: () => Promise<T>, options: TransientRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? sleepMs;
  let delay = options.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isTransientFault(error)) throw error;
      await sleep(delay);
      delay *= 2;
    }
  }
}
