/** An append-only list of float64 values that doubles its buffer as it grows (numbers only, no boxing). */
export class GrowableFloat64Array {
  private buffer: Float64Array;
  length = 0;

  constructor(initialCapacity = 16) {
    this.buffer = new Float64Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  /** A view of the values pushed so far (shares the buffer until the next growth). */
  values(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }

  sortedCopy(): Float64Array {
    return this.buffer.slice(0, this.length).sort();
  }
}
