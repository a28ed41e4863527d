/**
 * Rally's streaming computations (rally/common/streaming_algorithms.py), reproduced operation for
 * operation so that thresholds computed from them compare exactly as Rally's do (the outliers
 * criterion is sensitive to the last bit of mean + sigmas * std).
 */

/** Running mean as Rally computes it: one float sum, divided on demand. */
export class MeanComputation {
  total = 0;
  count = 0;

  add(value: number): void {
    this.count += 1;
    this.total += value;
  }

  /** null before the first value (Rally's None) */
  result(): number | null {
    return this.count ? this.total / this.count : null;
  }
}

/** Sample standard deviation (n - 1), Knuth's streaming form with Rally's mean recomputed per value. */
export class StdDevComputation {
  private count = 0;
  private devSum = 0;
  private mean = 0;
  private readonly meanComputation = new MeanComputation();

  add(value: number): void {
    this.count += 1;
    const previousMean = this.mean;
    this.meanComputation.add(value);
    this.mean = this.meanComputation.result() ?? 0;
    this.devSum = this.devSum + (value - previousMean) * (value - this.mean);
  }

  /** null until two values were seen */
  result(): number | null {
    if (this.count < 2) return null;
    return Math.sqrt(this.devSum / (this.count - 1));
  }
}
