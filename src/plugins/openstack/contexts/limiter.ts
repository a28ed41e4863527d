/**
 * A bound on concurrent calls shared by nested work (Rally's thread pools of N workers, e.g.
 * users_context_resource_management_workers): each project's users start as soon as their
 * project exists, yet never more than `max` requests are in flight in all.
 */
export type Limit = <T>(call: () => Promise<T>) => Promise<T>;

export function createLimit(max: number): Limit {
  let active = 0;
  const waiting: Array<() => void> = [];
  // a finishing call hands its slot straight to the next waiter, so a newcomer cannot slip in
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return async <T>(call: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await call();
    } finally {
      release();
    }
  };
}

/** Settles every promise, then throws the first rejection (nothing is left running behind it). */
export async function allSettledOrThrow(promises: Iterable<Promise<unknown>>): Promise<void> {
  const outcomes = await Promise.allSettled(promises);
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
