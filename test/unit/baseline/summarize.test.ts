import { describe, expect, it } from 'vitest';
import { compactDurations, durationCount, expandDurations, MAX_EXACT_DURATIONS, runId, summarizeIterations } from '../../../src/baseline/summarize.js';
import type { IterationResult } from '../../../src/engine/types.js';

function iteration(duration: number, failed = false, actions: [string, number][] = []): IterationResult {
  let t = 1000;
  return {
    timestamp: 1000,
    duration,
    idle_duration: 0,
    error: failed ? ['X', 'boom', ''] : [],
    output: { additive: [], complete: [] },
    atomic_actions: actions.map(([name, d]) => {
      const action = { name, started_at: t, finished_at: t + d, children: [] };
      t += d;
      return action;
    }),
  };
}

describe('baseline summaries', () => {
  it('keeps every duration up to the limit, then 1001 quantiles and the count', () => {
    const small = compactDurations([0.3, 0.1, 0.2]);
    expect(small).toEqual({ kind: 'exact', values: [0.3, 0.1, 0.2] });
    const many = Array.from({ length: MAX_EXACT_DURATIONS + 500 }, (_, i) => i / 1000);
    const compact = compactDurations(many);
    expect(compact.kind).toBe('quantiles');
    expect(expandDurations(compact)).toHaveLength(1001);
    expect(durationCount(compact)).toBe(1500);
    expect(expandDurations(compact)[0]).toBe(0);
    expect(expandDurations(compact)[1000]).toBe(1.499);
    expect(expandDurations(compact)[500]).toBeCloseTo(0.7495, 6);
  });

  it('counts failures and keeps successful durations per workload and per atomic action (repeats summed)', () => {
    const summary = summarizeIterations([
      iteration(1, false, [['a', 0.4], ['b', 0.5], ['a', 0.1]]),
      iteration(2, true, [['a', 0.2]]),
      iteration(3, false, [['b', 0.7]]),
    ]);
    expect(summary.total).toEqual({ count: 3, failures: 1, durations: { kind: 'exact', values: [1, 3] } });
    expect(summary.actions['a']).toEqual({ count: 2, failures: 0, durations: { kind: 'exact', values: [0.5, 0.2] } });
    expect(summary.actions['b']?.durations).toEqual({ kind: 'exact', values: [0.5, 0.7] });
  });

  it('names runs by time and commit', () => {
    expect(runId('2026-11-21T11:17:39.123Z', 'abcdef0123456789')).toMatch(/^20261121T111739Z-abcdef012345-[0-9a-f]{6}$/);
  });
});
