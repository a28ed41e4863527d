import { describe, expect, it } from 'vitest';
import type { IterationResult } from '../../../../src/engine/types.js';
import { OutputCollector } from '../../../../src/report/html/outputs.js';
import { analyseWorkload, histogram, loadProfile } from '../../../../src/report/html/workload-analysis.js';
import type { WorkloadStatistics } from '../../../../src/report/stats.js';

function iteration(timestamp: number, duration: number, extra: Partial<IterationResult> = {}): IterationResult {
  return { timestamp, duration, idle_duration: 0, error: [], output: { additive: [], complete: [] }, atomic_actions: [], ...extra };
}

const statsRow = (name: string) => ({
  data: { iteration_count: 0, min: 0, median: 0, '90%ile': 0, '95%ile': 0, max: 0, avg: 0, success: '100.0%' },
  count_per_iteration: 1,
  name,
  display_name: name,
  children: [],
});
const statistics: WorkloadStatistics = { durations: { total: statsRow('total'), atomics: [statsRow('boot'), statsRow('delete')] } };

describe('loadProfile', () => {
  it('holds the exact overlap: its area is the sum of the durations', () => {
    const starts = [0, 0.5, 1, 1, 3.9];
    const durations = [1, 1, 2, 0.25, 0.1];
    const profile = loadProfile(starts, durations, 4);
    const step = profile.x[1]! - profile.x[0]!;
    const area = (profile.series[0]!.values as number[]).reduce((sum, v) => sum + v * step, 0);
    expect(area).toBeCloseTo(4.35, 2);
    expect(Math.max(...(profile.series[0]!.values as number[]))).toBeCloseTo(3, 1);
    // the axis runs past the load so the curve returns to zero
    expect(profile.x.at(-1)!).toBeGreaterThan(4);
    expect(profile.series[0]!.values.at(-1)).toBe(0);
  });
});

describe('histogram', () => {
  it('counts every value once', () => {
    const h = histogram('total', [1, 2, 2, 3, 3, 3]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(h.edges.length).toBe(h.counts.length + 1);
    expect(h.overflowFrom).toBeUndefined();
  });

  it('puts far outliers in one last bin instead of squashing the rest', () => {
    const values = [...Array.from({ length: 999 }, (_, i) => 1 + (i % 10) / 100), 500];
    const h = histogram('total', values);
    expect(h.overflowFrom).toBeLessThan(2);
    expect(h.counts.at(-1)).toBe(1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe('analyseWorkload', () => {
  const atomic = (name: string, start: number, end: number, failed?: true) => ({ name, started_at: start, finished_at: end, children: [], ...(failed ? { failed } : {}) });
  const iterations = [
    iteration(100, 1, { atomic_actions: [atomic('boot', 100, 100.6), atomic('delete', 100.6, 100.9)] }),
    iteration(101, 2, { atomic_actions: [atomic('boot', 101, 102, true)], error: ['TimeoutException', 'boot took too long', 'Traceback: one'] }),
    iteration(102, 1.5, { atomic_actions: [atomic('boot', 102, 102.5), atomic('boot', 102.5, 103), atomic('delete', 103, 103.5)] }),
    iteration(103, 3, { error: ['TimeoutException', 'boot took too long', 'Traceback: two'] }),
    iteration(104, 0.1, { error: ['KeyError', "'x'", ''] }),
  ];

  const analysis = analyseWorkload(iterations, { statistics, loadDuration: 4.1, maxSeriesPoints: 1000 });

  it('groups failures by type and message, most frequent first, keeping the first traceback', () => {
    expect(analysis.failedCount).toBe(3);
    expect(analysis.failures.map((f) => [f.type, f.count, f.iterations])).toEqual([
      ['TimeoutException', 2, [2, 4]],
      ['KeyError', 1, [5]],
    ]);
    expect(analysis.failures[0]!.traceback).toBe('Traceback: one');
  });

  it('draws totals of successful iterations, failed ones as points, atomics merged per iteration', () => {
    const [total, failed, boot, del] = analysis.durations.series;
    expect(total!.values).toEqual([1, null, 1.5, null, null]);
    expect(failed).toMatchObject({ label: 'failed iterations', points: true, values: [null, 2, null, 3, 0.1] });
    expect(boot!.values).toEqual([0.6, 1, 1, null, null]);
    expect(del!.values).toEqual([0.3, null, 0.5, null, null]);
  });

  it('stacks atomics plus the time outside them up to the total', () => {
    const sums = analysis.atomicsStacked.x.map((_, i) => analysis.atomicsStacked.series.reduce((s, series) => s + (series.values[i] ?? 0), 0));
    expect(sums.map((v) => Number(v.toFixed(6)))).toEqual([1, 2, 1.5, 3, 0.1]);
  });

  it('builds histograms from successful iterations, total first then each atomic action', () => {
    expect(analysis.histograms.map((h) => h.label)).toEqual(['total', 'boot', 'delete']);
    expect(analysis.histograms[0]!.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(analysis.histograms[1]!.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });
});

describe('analyseWorkload without iterations (a context failed, the run was stopped)', () => {
  it('gives empty series the page shows as "no data"', () => {
    const analysis = analyseWorkload([], { statistics, loadDuration: 0, maxSeriesPoints: 1000 });
    expect(analysis.iterationCount).toBe(0);
    expect(analysis.durations.x).toEqual([]);
    expect(analysis.loadProfile.x).toEqual([]);
    expect(analysis.histograms.every((h) => h.counts.length === 0)).toBe(true);
    expect(analysis.failures).toEqual([]);
  });
});

describe('OutputCollector (Rally output charts)', () => {
  const additive = (i: number) => [
    { title: 'Stats', chart_plugin: 'StatsTable' as const, data: [['foo', i], ['bar', 10 * i]] },
    { title: 'Trend', chart_plugin: 'Lines' as const, data: [['a', i]] },
    { title: 'Share', chart_plugin: 'Pie' as const, data: [['x', i]] },
  ];
  const collector = new OutputCollector(2);
  for (let i = 1; i <= 4; i++) {
    collector.add(
      { additive: additive(i), complete: [{ title: 'Log', chart_plugin: 'TextArea', data: [`line ${i}`] }] },
      i,
    );
  }
  const charts = collector.render(1000);

  it('aggregates StatsTable like Rally (percentiles, count) and Pie as the mean', () => {
    expect(charts[0]).toMatchObject({ kind: 'table', cols: ['Action', 'Min (sec)', 'Median (sec)', '90%ile (sec)', '95%ile (sec)', 'Max (sec)', 'Avg (sec)', 'Count'] });
    expect((charts[0] as { rows: unknown[][] }).rows[0]).toEqual(['foo', 1, 2.5, 3.7, 3.85, 4, 2.5, 4]);
    expect(charts[2]).toMatchObject({ kind: 'bars', rows: [['x', 2.5]] });
  });

  it('draws additive Lines over the iteration sequence', () => {
    expect(charts[1]).toMatchObject({ kind: 'lines', columns: { x: [1, 2, 3, 4], series: [{ label: 'a', values: [1, 2, 3, 4] }] } });
  });

  it('keeps complete output of the first sources only, tagged with their number', () => {
    const complete = charts.filter((c) => c.source !== undefined);
    expect(complete.map((c) => c.source)).toEqual([1, 2]);
    expect(complete[0]).toMatchObject({ kind: 'text', lines: ['line 1'] });
    expect(collector.skippedCompleteSources).toBe(2);
  });

  it('shows a single iteration of additive Lines as a Name/Value table, like Rally', () => {
    const single = new OutputCollector();
    single.add({ additive: [{ title: 'T', chart_plugin: 'StackedArea', data: [['a', 5]] }], complete: [] }, 1);
    expect(single.render(1000)[0]).toMatchObject({ kind: 'table', cols: ['Name', 'Value'], rows: [['a', 5]] });
  });
});
