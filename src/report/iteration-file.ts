/**
 * A workload's NDJSON iteration file, read back in timestamp order (Rally numbers and exports
 * iterations that way; the engine writes them in completion order). One pass indexes the lines
 * (offset, length, timestamp: 20 bytes per iteration), then the records are parsed one at a time,
 * so reports over 100k iterations never hold the records, only what they compute from them.
 */
import { createReadStream } from 'node:fs';
import { access, open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../common/errors.js';
import { isJsonObject } from '../common/json.js';
import type { IterationResult } from '../engine/types.js';

interface LineIndex {
  offsets: Float64Array;
  lengths: Uint32Array;
  timestamps: Float64Array;
  count: number;
}

/** One pass over the NDJSON file: where each line is and its timestamp. */
async function indexIterationLines(file: string): Promise<LineIndex> {
  let capacity = 1024;
  let offsets = new Float64Array(capacity);
  let lengths = new Uint32Array(capacity);
  let timestamps = new Float64Array(capacity);
  let count = 0;
  let position = 0;
  let carry: Buffer[] = [];
  let carryStart = 0;
  let lineNumber = 0;

  const addLine = (start: number, bytes: Buffer): void => {
    lineNumber += 1;
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 0x0d)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new InputError('not a JSON line (iteration results are one JSON object per line)', {
        file,
        line: lineNumber,
      });
    }
    const timestamp = isJsonObject(parsed) ? parsed['timestamp'] : undefined;
    if (typeof timestamp !== 'number') {
      throw new InputError('iteration has no numeric "timestamp"', { file, line: lineNumber });
    }
    if (count === capacity) {
      capacity *= 2;
      offsets = growFloat64(offsets, capacity);
      timestamps = growFloat64(timestamps, capacity);
      const biggerLengths = new Uint32Array(capacity);
      biggerLengths.set(lengths);
      lengths = biggerLengths;
    }
    offsets[count] = start;
    lengths[count] = bytes.length;
    timestamps[count] = timestamp;
    count += 1;
  };

  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let lineStart = 0;
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, lineStart)) {
      const piece = chunk.subarray(lineStart, newline);
      if (carry.length > 0) {
        addLine(carryStart, Buffer.concat([...carry, piece]));
        carry = [];
      } else {
        addLine(position + lineStart, piece);
      }
      lineStart = newline + 1;
    }
    if (lineStart < chunk.length) {
      if (carry.length === 0) carryStart = position + lineStart;
      carry.push(chunk.subarray(lineStart));
    }
    position += chunk.length;
  }
  if (carry.length > 0) addLine(carryStart, Buffer.concat(carry));
  return { offsets, lengths, timestamps, count };
}

async function fileExists(file: string): Promise<boolean> {
  if (file === '') return false;
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function growFloat64(array: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(capacity);
  bigger.set(array);
  return bigger;
}

/**
 * Reads byte ranges of a file through a block cache; iterations sorted by timestamp are nearly
 * sequential. One buffer, refilled in place (a fresh megabyte per block would wait for the GC as
 * external memory): a returned range is valid until the next read.
 */
class RangeReader {
  private buffer = Buffer.allocUnsafe(0);
  private blockStart = 0;
  private blockLength = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly blockSize = 1 << 20,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < this.blockStart || offset + length > this.blockStart + this.blockLength) {
      const size = Math.max(this.blockSize, length);
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await this.handle.read(this.buffer, 0, size, offset);
      this.blockStart = offset;
      this.blockLength = bytesRead;
    }
    const start = offset - this.blockStart;
    return this.buffer.subarray(start, Math.min(start + length, this.blockLength));
  }
}

/**
 * The iterations of an NDJSON file, sorted by timestamp (stable: ties keep completion order, like
 * Python's sort in Rally's exporter). A workload that ran no iteration may have no file at all.
 */
export async function* iterationsInTimestampOrder(file: string, expectedCount: number): AsyncGenerator<IterationResult> {
  if (expectedCount === 0 && !(await fileExists(file))) return;
  let index: LineIndex;
  try {
    index = await indexIterationLines(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read iteration results: ${(error as Error).message}`, { file });
  }
  const order = new Uint32Array(index.count).map((_, i) => i);
  order.sort((a, b) => (index.timestamps[a] as number) - (index.timestamps[b] as number) || a - b);
  const handle = await open(file, 'r');
  try {
    const reader = new RangeReader(handle);
    for (const line of order) {
      const bytes = await reader.read(index.offsets[line] as number, index.lengths[line] as number);
      yield JSON.parse(bytes.toString('utf8')) as IterationResult;
    }
  } finally {
    await handle.close();
  }
}
