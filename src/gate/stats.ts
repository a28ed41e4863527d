/**
 * The statistics behind the gate's verdicts (docs/gate.md explains the method and its assumptions).
 *
 * Latencies are skewed and noisy, so everything works on log durations and medians:
 * - within a run, the median's sampling noise is taken from the data by a (seeded) bootstrap;
 * - between runs, a run's whole level moves (a busier cloud, another host): that noise is estimated
 *   from the spread of the baseline runs' medians, never below a floor from the settings.
 * The effect is the ratio current median / baseline median with a confidence interval from the
 * bootstrap's standard error; Holm's (or Benjamini-Hochberg's) method controls the family of all
 * comparisons made in one gate run.
 */

/** A small, fast, seeded PRNG (mulberry32): the same inputs always give the same verdicts. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a string (FNV-1a), so each comparison has its own reproducible stream. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Standard normal draw (Box-Muller) from a uniform source. */
export function normalDraw(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Median of a numeric array (sorts a copy). NaN for an empty array. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return medianOfSorted(sorted);
}

export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Linear-interpolated quantile of sorted values (q in [0, 1]). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const k = (sorted.length - 1) * q;
  const low = Math.floor(k);
  const high = Math.ceil(k);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (k - low);
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1);
}

/** k-th smallest of buffer[0..n) (Hoare's quickselect, in place). */
function selectKth(buffer: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (left < right) {
    const pivot = buffer[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((buffer[i] as number) < pivot) i++;
      while ((buffer[j] as number) > pivot) j--;
      if (i <= j) {
        const t = buffer[i] as number;
        buffer[i] = buffer[j] as number;
        buffer[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return buffer[k] as number;
  }
  return buffer[k] as number;
}

/** Median of `count` draws with replacement from `values` (scratch buffer reused to spare the GC). */
function resampledMedian(values: Float64Array, count: number, random: () => number, scratch: Float64Array): number {
  const buffer = scratch.length === count ? scratch : new Float64Array(count);
  for (let i = 0; i < count; i++) buffer[i] = values[Math.floor(random() * values.length)] as number;
  const mid = count >> 1;
  const upper = selectKth(buffer, count, mid);
  if (count % 2 === 1) return upper;
  // After selecting `mid`, every value left of it is <= it: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if ((buffer[i] as number) > lower) lower = buffer[i] as number;
  return (lower + upper) / 2;
}

export interface RatioTestOptions {
  /** confidence of the reported interval, e.g. 0.95 */
  confidence: number;
  /** bootstrap replicates (default 1000) */
  replicates?: number;
  /** seed of the bootstrap; callers derive it from the comparison's identity */
  seed: number;
  /**
   * The smallest between-run noise assumed, as a relative standard deviation of a run's level
   * (0.02 = runs may differ by about 2% for no reason). The estimate from the baseline runs is used
   * when it is larger.
   */
  betweenRunNoiseFloor: number;
}

export interface RatioTestResult {
  /** current median / baseline median (baseline median = geometric mean of the runs' medians) */
  ratio: number;
  /** confidence interval of the ratio */
  interval: [number, number];
  /** two-sided p-value of "no change" (bootstrap tail at ratio 1, never 0) */
  pValue: number;
  /** the between-run noise used (relative standard deviation of run levels) */
  betweenRunNoise: number;
  /**
   * Degrees of freedom of the test's t reference: Infinity (normal) when the between-run noise is
   * the assumed floor; else few, since that noise was estimated from the K baseline runs.
   */
  degreesOfFreedom: number;
  baselineMedian: number;
  currentMedian: number;
}

/**
 * Compares one current run of durations with baseline runs (each an array of durations of one run).
 *
 * Model, in log space: a run's log median = true level + run offset (sd sigma_b) + sampling noise.
 * The baseline level is the mean of the baseline runs' log medians. Each bootstrap replicate
 * resamples the baseline runs (with replacement, which carries their between-run spread into the
 * baseline's level), the iterations inside each of them and inside the current run, then adds a
 * fresh run offset (sd sigma_b) to the current run: it is one run, and its own level shift is noise
 * the iterations cannot show. sigma_b^2 = max(floor^2, var(run medians) - mean within-run variance).
 * p-value and interval come from the observed log ratio and the bootstrap's standard error.
 */
export function medianRatioTest(baselineRuns: readonly ArrayLike<number>[], current: ArrayLike<number>, options: RatioTestOptions): RatioTestResult {
  const replicates = options.replicates ?? 1000;
  const random = seededRandom(options.seed);
  const runs = baselineRuns.filter((r) => r.length > 0).map((r) => Float64Array.from(r, (x) => Math.log(Math.max(x, 1e-9))));
  const now = Float64Array.from(current, (x) => Math.log(Math.max(x, 1e-9)));
  if (runs.length === 0 || now.length === 0) throw new Error('medianRatioTest needs data on both sides');

  const runMedians = runs.map((r) => median(r));
  const baselineLevel = mean(runMedians);
  const currentLevel = median(now);

  // Within-run variance of each run's median, from a small bootstrap of that run.
  const scratch = new Map<number, Float64Array>();
  const scratchFor = (n: number) => {
    let s = scratch.get(n);
    if (!s) scratch.set(n, (s = new Float64Array(n)));
    return s;
  };
  const withinVariance = (values: Float64Array) => {
    const draws: number[] = [];
    for (let i = 0; i < 200; i++) draws.push(resampledMedian(values, values.length, random, scratchFor(values.length)));
    return sampleVariance(draws);
  };
  const floorVariance = Math.log1p(options.betweenRunNoiseFloor) ** 2;
  let betweenVariance = floorVariance;
  if (runs.length >= 2) {
    const meanWithin = mean(runs.map(withinVariance));
    betweenVariance = Math.max(floorVariance, sampleVariance(runMedians) - meanWithin);
  }
  const sigmaB = Math.sqrt(betweenVariance);
  const k = runs.length;
  const betweenEstimated = k >= 2 && betweenVariance > floorVariance;

  // The bootstrap gives the spread of the log ratio; the observed log ratio over that spread is
  // close to normal (a difference of means of log medians), which gives p-values finer than 1/B.
  let sum = 0;
  let sumSquares = 0;
  for (let b = 0; b < replicates; b++) {
    let baseSum = 0;
    for (let j = 0; j < k; j++) {
      const run = runs[Math.floor(random() * k)] as Float64Array;
      baseSum += resampledMedian(run, run.length, random, scratchFor(run.length));
    }
    const cur = resampledMedian(now, now.length, random, scratchFor(now.length)) + sigmaB * normalDraw(random);
    const logRatio = cur - baseSum / k;
    sum += logRatio;
    sumSquares += logRatio * logRatio;
  }
  const bootMean = sum / replicates;
  const variance = Math.max(sumSquares / replicates - bootMean * bootMean, 1e-12);
  const standardError = Math.sqrt(variance);
  const observed = currentLevel - baselineLevel;
  // When the run-to-run noise was estimated from K runs, the standard error is itself uncertain
  // (K - 1 degrees of freedom): a normal reference then raises false alarms whenever a few baseline
  // runs happen to agree (measured on the dev cloud: 6% of unchanged workloads flagged, docs/gate.md).
  // Welch-Satterthwaite: the estimated part sigma_b^2 (1 + 1/K) carries K - 1 df, the within-run
  // parts (from tens of iterations each) are taken as known.
  const estimatedPart = betweenVariance * (1 + 1 / k);
  const degreesOfFreedom = betweenEstimated ? Math.max(k - 1, (variance * variance * (k - 1)) / (estimatedPart * estimatedPart)) : Infinity;
  const critical = studentTQuantile(1 - (1 - options.confidence) / 2, degreesOfFreedom);
  return {
    ratio: Math.exp(observed),
    interval: [Math.exp(observed - critical * standardError), Math.exp(observed + critical * standardError)],
    pValue: Math.min(1, 2 * (1 - studentTCdf(Math.abs(observed) / standardError, degreesOfFreedom))),
    betweenRunNoise: Math.expm1(sigmaB),
    degreesOfFreedom,
    baselineMedian: Math.exp(baselineLevel),
    currentMedian: Math.exp(currentLevel),
  };
}

/** log Gamma (Lanczos, g = 7): enough for the t distribution's normalising constant. */
function logGamma(x: number): number {
  const g = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = g[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += g[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) by its continued fraction (Lentz), as in Numerical Recipes' betai. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let f = d;
  for (let m = 1; m <= 300; m++) {
    for (const even of [true, false]) {
      const numerator = even ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-14) break;
  }
  return (front * f) / a;
}

/** CDF of Student's t with `df` degrees of freedom (df = Infinity: the standard normal). */
export function studentTCdf(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return normalCdf(t);
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t (bisection on the CDF; df = Infinity: the normal quantile). */
export function studentTQuantile(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return normalQuantile(p);
  if (p === 0.5) return 0;
  let low = -1;
  let high = 1;
  while (studentTCdf(low, df) > p) low *= 2;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 100 && high - low > 1e-10 * Math.max(1, Math.abs(high)); i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (coef: number[], x: number) => coef.reduce((acc, v) => acc * x + v, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/**
 * Benjamini-Hochberg adjusted p-values (same order as given): controls the expected share of false
 * discoveries among the flagged comparisons; when nothing changed it is as strict as Holm.
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  for (const [reverseRank, { p, i }] of order.entries()) {
    const rank = m - reverseRank;
    running = Math.min(running, (p * m) / rank);
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}

/**
 * Holm's step-down adjustment: adjusted p-values (same order as given) that keep the chance of any
 * false positive among all comparisons at alpha. Uniformly more powerful than Bonferroni.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  for (const [rank, { p, i }] of order.entries()) {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  }
  return adjusted;
}

/**
 * Mann-Whitney U with the normal approximation and tie correction: a rank test reported next to
 * the ratio (it ignores between-run noise, so it is shown, not used for the decision).
 * Returns the two-sided p-value and the probability of superiority P(current > baseline).
 */
export function mannWhitney(baseline: ArrayLike<number>, current: ArrayLike<number>): { pValue: number; superiority: number } {
  const n1 = baseline.length;
  const n2 = current.length;
  const all: { v: number; g: 0 | 1 }[] = [];
  for (let i = 0; i < n1; i++) all.push({ v: baseline[i] as number, g: 0 });
  for (let i = 0; i < n2; i++) all.push({ v: current[i] as number, g: 1 });
  all.sort((a, b) => a.v - b.v);
  let rankSumCurrent = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let x = i; x <= j; x++) if ((all[x] as { g: number }).g === 1) rankSumCurrent += rank;
    i = j + 1;
  }
  const u = rankSumCurrent - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? (u - (n1 * n2) / 2) / Math.sqrt(variance) : 0;
  return { pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), superiority: u / (n1 * n2) };
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/**
 * One-sided Fisher exact test: is the failure share of `current` higher than that of `baseline`?
 * Returns P(at least `currentFailures` failures in current | the margins), the hypergeometric tail.
 */
export function fisherGreater(currentFailures: number, currentCount: number, baselineFailures: number, baselineCount: number): number {
  const failures = currentFailures + baselineFailures;
  const total = currentCount + baselineCount;
  const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const denominator = logChoose(total, currentCount);
  let p = 0;
  for (let x = currentFailures; x <= Math.min(failures, currentCount); x++) {
    p += Math.exp(logChoose(failures, x) + logChoose(total - failures, currentCount - x) - denominator);
  }
  return Math.min(1, p);
}
