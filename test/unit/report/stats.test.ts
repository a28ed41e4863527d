import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IterationResult } from '../../../src/engine/types.js';
import { StatsAccumulator, percentile, mergeAtomicActions } from '../../../src/report/stats.js';

const REFERENCE = '/work/shared/reference/rally-3.3.0/results';

interface ReferenceWorkload {
  data: IterationResult[];
  statistics: unknown;
  scenario: Record<string, unknown>;
}

function referenceWorkloads(file: string): ReferenceWorkload[] {
  const report = JSON.parse(readFileSync(`${REFERENCE}/${file}`, 'utf8')) as {
    tasks: Array<{ subtasks: Array<{ workloads: ReferenceWorkload[] }> }>;
  };
  return report.tasks.flatMap((t) => t.subtasks.flatMap((s) => s.workloads));
}

describe('StatsAccumulator against Rally 3.3.0 reports', () => {
  const files = [
    'd-sla-pass-fail-100.report.json',
    'f-all-features.report.json',
    'os1-authenticate-keystone-200x5.report.json',
    'os2-keystone-create-delete-user-100x5.report.json',
  ];
  for (const file of files) {
    referenceWorkloads(file).forEach((workload, index) => {
      it(`${file} workload ${index} (${Object.keys(workload.scenario)[0]})`, () => {
        const stats = new StatsAccumulator();
        for (const iteration of workload.data) stats.onIteration(iteration);
        expect(stats.statistics()).toEqual(workload.statistics);
      });
    });
  }

  it('gives the same statistics whatever the iteration order (percentiles sort)', () => {
    const [workload] = referenceWorkloads('f-all-features.report.json');
    const stats = new StatsAccumulator();
    for (const iteration of [...workload!.data].reverse()) stats.onIteration(iteration);
    const expected = workload!.statistics as { durations: { total: { data: Record<string, unknown> } } };
    const actual = stats.statistics().durations.total.data;
    for (const key of ['iteration_count', 'min', 'median', '90%ile', '95%ile', 'max', 'success']) {
      expect(actual[key as keyof typeof actual]).toEqual(expected.durations.total.data[key]);
    }
  });
});

function iteration(partial: Partial<IterationResult>): IterationResult {
  return {
    timestamp: 1000,
    duration: 1,
    idle_duration: 0,
    error: [],
    output: { additive: [], complete: [] },
    atomic_actions: [],
    ...partial,
  };
}

describe('StatsAccumulator edge cases', () => {
  it('reports "n/a" and a childless total when no iteration ran', () => {
    expect(new StatsAccumulator().statistics()).toEqual({
      durations: {
        total: {
          data: {
            iteration_count: 0,
            min: 'n/a',
            median: 'n/a',
            '90%ile': 'n/a',
            '95%ile': 'n/a',
            max: 'n/a',
            avg: 'n/a',
            success: 'n/a',
          },
          count_per_iteration: 1,
          name: 'total',
          display_name: 'total',
          children: [],
        },
        atomics: [],
      },
    });
  });

  it('adds a failed "<no-name-action>" when the error happened outside the last action', () => {
    const stats = new StatsAccumulator();
    stats.onIteration(
      iteration({
        error: ['ValueError', 'boom', 'Traceback...'],
        atomic_actions: [{ name: 'a', started_at: 1, finished_at: 1.5, children: [] }],
      }),
    );
    const { atomics } = stats.statistics().durations;
    expect(atomics.map((r) => [r.display_name, r.data.success, r.data.max])).toEqual([
      ['a', '100.0%', 0.5],
      ['<no-name-action>', '0.0%', 0],
    ]);
  });

  it('does not add "<no-name-action>" when the last action failed, or when there are no actions', () => {
    const stats = new StatsAccumulator();
    stats.onIteration(
      iteration({
        error: ['E', 'm', 't'],
        atomic_actions: [{ name: 'a', started_at: 1, finished_at: 2, children: [], failed: true }],
      }),
    );
    stats.onIteration(iteration({ error: ['E', 'm', 't'] }));
    expect(stats.statistics().durations.atomics.map((r) => r.display_name)).toEqual(['a']);
  });

  it('merges repeated actions into "name (xN)" rows and keeps first-seen order, total last', () => {
    const stats = new StatsAccumulator();
    const action = (name: string, start: number, end: number) => ({ name, started_at: start, finished_at: end, children: [] });
    stats.onIteration(iteration({ atomic_actions: [action('a', 0, 1), action('b', 1, 2), action('a', 2, 4)] }));
    stats.onIteration(iteration({ atomic_actions: [action('c', 0, 1), action('a', 1, 2)] }));
    const { atomics, total } = stats.statistics().durations;
    expect(atomics.map((r) => [r.display_name, r.name, r.count_per_iteration, r.data.iteration_count, r.data.avg])).toEqual([
      ['a (x2)', 'a', 2, 1, 3],
      ['b', 'b', 1, 1, 1],
      ['c', 'c', 1, 1, 1],
      ['a', 'a', 1, 1, 1],
    ]);
    expect(total.children.map((r) => r.name)).toEqual(['duration', 'idle_duration']);
  });

  it('processes nesting three levels deep only', () => {
    const deep = {
      name: 'l0',
      started_at: 0,
      finished_at: 4,
      children: [
        {
          name: 'l1',
          started_at: 0,
          finished_at: 3,
          children: [
            { name: 'l2', started_at: 0, finished_at: 2, children: [{ name: 'l3', started_at: 0, finished_at: 1, children: [] }] },
          ],
        },
      ],
    };
    const merged = mergeAtomicActions([deep]);
    const l2 = merged.get('l0')?.children.get('l1')?.children.get('l2');
    expect(l2?.duration).toBe(2);
    expect(l2?.children.size).toBe(0);
  });

  it('interpolates percentiles between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentile([0, 10], 0.9)).toBe(9);
    expect(percentile([], 0.5)).toBeNull();
  });
});
