import { describe, expect, it } from 'vitest';
import { benjaminiHochbergAdjust, fisherGreater, holmAdjust, mannWhitney, median, medianRatioTest, normalCdf, normalQuantile, seededRandom, studentTCdf, studentTQuantile } from '../../../src/gate/stats.js';

function lognormalRun(random: () => number, n: number, medianSeconds: number, sigma: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = 1 - random();
    const v = random();
    out.push(medianSeconds * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  return out;
}

describe('gate statistics', () => {
  it('adjusts p-values like Holm and Benjamini-Hochberg', () => {
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
    const bh = benjaminiHochbergAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(bh.map((p) => Number(p.toFixed(4)))).toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  it('has a normal CDF and quantile that agree', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('Fisher exact test: the one-sided tail of a 2x2 table', () => {
    // 3/3 failed now vs 0/3 before: p = 1/20
    expect(fisherGreater(3, 3, 0, 3)).toBeCloseTo(0.05, 10);
    expect(fisherGreater(1, 30, 1, 30)).toBeGreaterThan(0.5);
  });

  it('Mann-Whitney sees a shift and no shift', () => {
    const random = seededRandom(1);
    const a = lognormalRun(random, 40, 1, 0.1);
    const b = lognormalRun(random, 40, 1.5, 0.1);
    expect(mannWhitney(a, b).pValue).toBeLessThan(1e-6);
    expect(mannWhitney(a, b).superiority).toBeGreaterThan(0.95);
    expect(mannWhitney(a, a).pValue).toBeGreaterThan(0.9);
  });

  it('medianRatioTest: deterministic for a seed, finds a 50% slowdown, not a no-change', () => {
    const random = seededRandom(7);
    const baseline = [0, 1, 2, 3, 4].map(() => lognormalRun(random, 30, 0.2, 0.1));
    const same = lognormalRun(random, 30, 0.2, 0.1);
    const slower = lognormalRun(random, 30, 0.3, 0.1);
    const options = { confidence: 0.95, seed: 42, betweenRunNoiseFloor: 0.02 };
    const first = medianRatioTest(baseline, slower, options);
    expect(medianRatioTest(baseline, slower, options)).toEqual(first);
    expect(first.ratio).toBeGreaterThan(1.3);
    expect(first.interval[0]).toBeGreaterThan(1.2);
    expect(first.pValue).toBeLessThan(1e-4);
    const none = medianRatioTest(baseline, same, options);
    expect(none.interval[0]).toBeLessThan(1);
    expect(none.interval[1]).toBeGreaterThan(1);
    expect(none.pValue).toBeGreaterThan(0.05);
    expect(none.baselineMedian).toBeCloseTo(0.2, 1);
    expect(median([3, 1, 2, 10])).toBe(2.5);
  });

  it('widens the interval when the baseline runs disagree with each other (between-run noise)', () => {
    const random = seededRandom(9);
    const steady = [0, 1, 2, 3, 4].map(() => lognormalRun(random, 30, 0.2, 0.05));
    const drifting = [0.8, 0.9, 1, 1.1, 1.2].map((level) => lognormalRun(random, 30, 0.2 * level, 0.05));
    const current = lognormalRun(random, 30, 0.2, 0.05);
    const options = { confidence: 0.95, seed: 1, betweenRunNoiseFloor: 0.01 };
    const narrow = medianRatioTest(steady, current, options);
    const wide = medianRatioTest(drifting, current, options);
    expect(wide.betweenRunNoise).toBeGreaterThan(0.08);
    expect(narrow.betweenRunNoise).toBeLessThan(0.03);
    expect(wide.interval[1] - wide.interval[0]).toBeGreaterThan(2 * (narrow.interval[1] - narrow.interval[0]));
  });

  it('Student t: quantiles and CDF match the tables; infinite df is the normal', () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTCdf(2.7764, 4)).toBeCloseTo(0.975, 5);
    expect(studentTCdf(-2.0423, 30)).toBeCloseTo(0.025, 5);
    expect(studentTCdf(1.5, Infinity)).toBe(normalCdf(1.5));
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });

  it('uses few degrees of freedom when the between-run noise is estimated from the baseline runs, the normal at the floor', () => {
    const random = seededRandom(11);
    const drifting = [0.7, 1, 1.4, 0.9, 1.2].map((level) => lognormalRun(random, 30, 0.2 * level, 0.05));
    const steady = [0, 1, 2, 3, 4].map(() => lognormalRun(random, 30, 0.2, 0.05));
    const current = lognormalRun(random, 30, 0.3, 0.05);
    const options = { confidence: 0.95, seed: 3, betweenRunNoiseFloor: 0.02 };
    const estimated = medianRatioTest(drifting, current, options);
    expect(estimated.degreesOfFreedom).toBeGreaterThanOrEqual(4);
    expect(estimated.degreesOfFreedom).toBeLessThan(10);
    // the same standard error with a normal reference would give a smaller p-value
    const z = Math.log(estimated.ratio) / ((Math.log(estimated.interval[1]) - Math.log(estimated.interval[0])) / (2 * studentTQuantile(0.975, estimated.degreesOfFreedom)));
    expect(estimated.pValue).toBeGreaterThan(2 * (1 - normalCdf(Math.abs(z))));
    expect(medianRatioTest(steady, current, options).degreesOfFreedom).toBe(Infinity);
  });
});
