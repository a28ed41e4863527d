import { describe, expect, it } from 'vitest';
import { allSettledOrThrow, createLimit } from '../../../../src/plugins/openstack/contexts/limiter.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createLimit', () => {
  it('never runs more than its bound, also with nested work and newcomers arriving as slots free up', async () => {
    const limit = createLimit(3);
    let active = 0;
    let peak = 0;
    const call = async (): Promise<void> => {
      active++;
      peak = Math.max(peak, active);
      await tick();
      active--;
    };
    // outer items each start two inner calls once their own call ends, like projects then users
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        await limit(call);
        await Promise.all([limit(call), limit(call)]);
      }),
    );
    expect(peak).toBe(3);
    expect(active).toBe(0);
  });

  it('frees the slot of a failed call', async () => {
    const limit = createLimit(1);
    await expect(limit(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});

describe('allSettledOrThrow', () => {
  it('waits for every promise, then throws the first failure', async () => {
    const finished: string[] = [];
    const slow = new Promise<void>((resolve) => setTimeout(() => (finished.push('slow'), resolve()), 20));
    await expect(allSettledOrThrow([Promise.reject(new Error('first')), slow, Promise.reject(new Error('second'))])).rejects.toThrow('first');
    expect(finished).toEqual(['slow']);
  });
});
