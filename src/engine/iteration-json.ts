/**
 * Fast JSON for IterationResult, the hot path of the NDJSON file. Building each line as a JS string
 * (many small strings, V8's ~1 us shortest formatting of doubles, then UTF-8 conversion) cost more
 * than running a Dummy iteration, mostly in garbage collection. This encoder writes bytes straight
 * into a chunk buffer instead.
 *
 * Numbers stay exact: epoch times (10 integer digits) get up to 7 decimals, which is within half an
 * ulp of the double, so JSON.parse gives back the same double; durations are whole nanoseconds
 * (IterationRun rounds them) and get up to 9 decimals. Trailing zeros are dropped. Key order and
 * content are JSON.stringify's otherwise, so a parsed line equals the record the sinks saw.
 */
import type { AtomicAction, IterationResult } from './types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const ZERO = 0x30;
const MINUS = 0x2d;

/** Largest encoding of one number or of a constant key, so one capacity check covers it. */
const smallItemBytes = 64;

export class JsonLineEncoder {
  private buffer: Buffer;
  private position = 0;

  constructor(private readonly chunkBytes = 256 * 1024) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Bytes encoded and not yet taken. */
  get length(): number {
    return this.position;
  }

  /**
   * Hands over the encoded bytes: a view of the current buffer, which the encoder no longer touches.
   * It goes on in `replacement` (e.g. a buffer whose bytes were written out) or a new buffer.
   */
  take(replacement?: Buffer): Buffer {
    const bytes = this.buffer.subarray(0, this.position);
    this.buffer = replacement && replacement.length >= this.chunkBytes ? replacement : Buffer.allocUnsafe(this.chunkBytes);
    this.position = 0;
    return bytes;
  }

  /** Encodes `result` as one line, newline included. */
  iteration(result: IterationResult): void {
    const { output } = result;
    this.ascii('{"duration":');
    this.nanoseconds(result.duration);
    this.ascii(',"timestamp":');
    this.epoch(result.timestamp);
    this.ascii(',"idle_duration":');
    this.nanoseconds(result.idle_duration);
    if (result.error.length === 0) this.ascii(',"error":[]');
    else {
      this.ascii(',"error":');
      this.utf8(JSON.stringify(result.error));
    }
    if (output.additive.length === 0 && output.complete.length === 0) this.ascii(',"output":{"additive":[],"complete":[]}');
    else {
      this.ascii(',"output":');
      this.utf8(JSON.stringify(output));
    }
    this.ascii(',"atomic_actions":');
    this.atomicActions(result.atomic_actions);
    this.ascii('}\n');
  }

  private atomicActions(actions: AtomicAction[]): void {
    if (actions.length === 0) {
      this.ascii('[]');
      return;
    }
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i]!;
      this.ascii(i === 0 ? '[{"name":' : ',{"name":');
      this.string(action.name);
      this.ascii(',"children":');
      this.atomicActions(action.children);
      this.ascii(',"started_at":');
      this.epoch(action.started_at);
      this.ascii(',"finished_at":');
      this.epoch(action.finished_at);
      this.ascii(action.failed ? ',"failed":true}' : '}');
    }
    this.ascii(']');
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  /** A constant made of ASCII characters. */
  private ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let position = this.position;
    for (let i = 0; i < text.length; i++) buffer[position++] = text.charCodeAt(i);
    this.position = position;
  }

  private utf8(text: string): void {
    this.ensure(Buffer.byteLength(text));
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  /** A JSON string; printable ASCII without quotes or backslashes is copied, anything else escaped by JSON.stringify. */
  private string(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) {
        this.utf8(JSON.stringify(text));
        return;
      }
    }
    this.ensure(text.length + 2);
    this.buffer[this.position++] = QUOTE;
    this.ascii(text);
    this.buffer[this.position++] = QUOTE;
  }

  /** Epoch seconds with at most 7 decimals (exact for the doubles of present-day epoch times). */
  private epoch(value: number): void {
    this.fixed(value, 7, 1e7);
  }

  /** Seconds that are whole nanoseconds: at most 9 decimals. */
  private nanoseconds(value: number): void {
    this.fixed(value, 9, 1e9);
  }

  private fixed(value: number, decimals: number, scale: number): void {
    if (!Number.isFinite(value)) {
      this.ascii('null');
      return;
    }
    this.ensure(smallItemBytes);
    if (value < 0) {
      this.buffer[this.position++] = MINUS;
      value = -value;
    }
    let whole = Math.floor(value);
    let fraction = Math.round((value - whole) * scale);
    if (fraction >= scale) {
      whole += 1;
      fraction -= scale;
    }
    if (whole > Number.MAX_SAFE_INTEGER) {
      // Not a time or a duration; let V8 format it.
      this.ascii(String(whole));
      return;
    }
    this.digits(whole);
    if (fraction === 0) return;
    let width = decimals;
    while (fraction % 10 === 0) {
      fraction /= 10;
      width--;
    }
    this.buffer[this.position++] = DOT;
    const end = this.position + width;
    for (let p = end - 1; p >= this.position; p--) {
      this.buffer[p] = ZERO + (fraction % 10);
      fraction = Math.floor(fraction / 10);
    }
    this.position = end;
  }

  /** A non-negative safe integer in decimal. */
  private digits(value: number): void {
    let width = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) width++;
    const end = this.position + width;
    for (let p = end - 1; p >= this.position; p--) {
      this.buffer[p] = ZERO + (value % 10);
      value = Math.floor(value / 10);
    }
    this.position = end;
  }
}

/** One line of JSON (without the newline) for an iteration record. */
export function iterationJson(result: IterationResult): string {
  const encoder = new JsonLineEncoder(1024);
  encoder.iteration(result);
  const bytes = encoder.take();
  return bytes.toString('utf8', 0, bytes.length - 1);
}
