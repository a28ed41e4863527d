import { describe, expect, it } from 'vitest';
import { downsampleMean, downsampleMinMax, roundSignificant } from '../../../../src/report/html/downsample.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('downsampleMinMax', () => {
  it('keeps every point below the limit (rounded to 4 significant digits)', () => {
    const columns = downsampleMinMax([1, 2, 3], [{ label: 'a', values: [0.123456, null, 2] }], 10);
    expect(columns).toEqual({ x: [1, 2, 3], series: [{ label: 'a', values: [0.1235, null, 2] }] });
  });

  it('reduces to the limit and keeps every extreme of every series', () => {
    const n = 100_000;
    const spiky = range(n).map((i) => (i === 54_321 ? 99 : i === 7 ? -5 : Math.sin(i)));
    const other = range(n).map((i) => (i % 1000 === 0 ? null : i / n));
    const columns = downsampleMinMax(range(n), [{ label: 'spiky', values: spiky }, { label: 'other', values: other }], 1000);
    expect(columns.x.length).toBeLessThanOrEqual(1000);
    for (const s of columns.series) expect(s.values.length).toBe(columns.x.length);
    const spikyOut = columns.series[0]!.values as number[];
    expect(Math.max(...spikyOut)).toBe(99);
    expect(Math.min(...spikyOut)).toBe(-5);
    const otherOut = columns.series[1]!.values.filter((v): v is number => v !== null);
    expect(Math.max(...otherOut)).toBe(roundSignificant((n - 1) / n));
    // x stays increasing so the chart library can draw it
    expect(columns.x.every((x, i) => i === 0 || x >= columns.x[i - 1]!)).toBe(true);
  });

  it('keeps the points-only marker of a series', () => {
    const columns = downsampleMinMax(range(5000), [{ label: 'failed', values: range(5000), points: true }], 100);
    expect(columns.series[0]!.points).toBe(true);
  });
});

describe('downsampleMean', () => {
  it('keeps the mean of each bucket, so stacks still add up', () => {
    const n = 10_000;
    const columns = downsampleMean(range(n), [{ label: 'a', values: range(n).map(() => 2) }, { label: 'b', values: range(n).map((i) => (i % 2 ? 1 : 3)) }], 500);
    expect(columns.x.length).toBe(500);
    expect(columns.series[0]!.values.every((v) => v === 2)).toBe(true);
    expect(columns.series[1]!.values.every((v) => v === 2)).toBe(true);
  });
});
