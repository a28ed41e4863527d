/**
 * Downsampling of chart series so a 100k-iteration workload stays a small page: the extremes of
 * every series survive (min and max per bucket), and stacked charts keep bucket means so the
 * stack still adds up to the mean total.
 */
import type { ChartColumns } from './types.js';

/** Rounds to `digits` significant digits: enough for a chart, much shorter JSON. */
export function roundSignificant(value: number, digits = 4): number {
  if (value === 0 || !Number.isFinite(value)) return 0;
  return Number(value.toPrecision(digits));
}

function roundOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || Number.isNaN(value) ? null : roundSignificant(value);
}

interface NamedSeries {
  label: string;
  values: ArrayLike<number | null>;
  points?: true;
}

/** Bucket i of n points into `buckets` contiguous ranges: [start, end). */
function bucketRange(bucket: number, buckets: number, n: number): [number, number] {
  return [Math.floor((bucket * n) / buckets), Math.floor(((bucket + 1) * n) / buckets)];
}

/**
 * Series over a shared x axis, at most `maxPoints` points. Below the limit every point is kept.
 * Above it, each bucket becomes two points (its first x and its middle x) carrying, for each
 * series, its min and max in the order they occurred: extremes stay exact, their x moves at most
 * one bucket width.
 */
export function downsampleMinMax(x: ArrayLike<number>, series: readonly NamedSeries[], maxPoints = 1000): ChartColumns {
  const n = x.length;
  if (n <= maxPoints) {
    return {
      x: Array.from(x, roundSignificant6),
      series: series.map((s) => ({ label: s.label, values: Array.from(s.values, roundOrNull), ...(s.points ? { points: true as const } : {}) })),
    };
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const outX: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const [start, end] = bucketRange(b, buckets, n);
    outX.push(roundSignificant6(x[start] as number), roundSignificant6(x[Math.floor((start + end - 1) / 2)] as number));
  }
  const outSeries = series.map((s) => {
    const values: Array<number | null> = [];
    for (let b = 0; b < buckets; b++) {
      const [start, end] = bucketRange(b, buckets, n);
      let minIndex = -1;
      let maxIndex = -1;
      for (let i = start; i < end; i++) {
        const v = s.values[i];
        if (v === null || v === undefined || Number.isNaN(v)) continue;
        if (minIndex < 0 || v < (s.values[minIndex] as number)) minIndex = i;
        if (maxIndex < 0 || v > (s.values[maxIndex] as number)) maxIndex = i;
      }
      if (minIndex < 0) {
        values.push(null, null);
      } else {
        const first = Math.min(minIndex, maxIndex);
        const second = Math.max(minIndex, maxIndex);
        values.push(roundOrNull(s.values[first] as number), roundOrNull(s.values[second] as number));
      }
    }
    return { label: s.label, values, ...(s.points ? { points: true as const } : {}) };
  });
  return { x: outX, series: outSeries };
}

/** Series over a shared x axis reduced to at most `maxPoints` bucket means (nulls count as 0). */
export function downsampleMean(x: ArrayLike<number>, series: readonly NamedSeries[], maxPoints = 1000): ChartColumns {
  const n = x.length;
  if (n <= maxPoints) {
    return {
      x: Array.from(x, roundSignificant6),
      series: series.map((s) => ({ label: s.label, values: Array.from(s.values, (v) => roundSignificant(v ?? 0)) })),
    };
  }
  const outX: number[] = [];
  for (let b = 0; b < maxPoints; b++) {
    const [start, end] = bucketRange(b, maxPoints, n);
    outX.push(roundSignificant6(((x[start] as number) + (x[end - 1] as number)) / 2));
  }
  const outSeries = series.map((s) => {
    const values: number[] = [];
    for (let b = 0; b < maxPoints; b++) {
      const [start, end] = bucketRange(b, maxPoints, n);
      let sum = 0;
      for (let i = start; i < end; i++) sum += s.values[i] ?? 0;
      values.push(roundSignificant(sum / Math.max(1, end - start)));
    }
    return { label: s.label, values };
  });
  return { x: outX, series: outSeries };
}

/** x values (iteration numbers, seconds) need more digits than y values. */
function roundSignificant6(value: number): number {
  return roundSignificant(value, 6);
}
