/**
 * The NDJSON file of a workload's iterations. Records are encoded straight to bytes in chunks of
 * ~192 KiB (see iteration-json.ts) and written to a file stream; when the stream's buffer is full,
 * `blocked` is set until it drains, so the engine can stop launching (memory stays bounded whatever
 * the iteration rate). A partly filled chunk is flushed after a short delay, so a slow workload's
 * file is never far behind.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JsonLineEncoder } from './iteration-json.js';
import type { IterationResult } from './types.js';

const chunkBytes = 256 * 1024;
const flushBytes = 192 * 1024;
const flushDelayMs = 200;

export class NdjsonWriter {
  private readonly encoder = new JsonLineEncoder(chunkBytes);
  /** chunk buffers the stream has written out, for reuse (else hundreds of MB wait for the GC) */
  private readonly spare: Buffer[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private drainWaiter: Promise<void> | undefined;
  private releaseDrainWaiter: (() => void) | undefined;
  private failure: Error | undefined;
  linesWritten = 0;

  private constructor(private readonly stream: WriteStream) {
    stream.on('error', (error) => {
      this.failure ??= error;
      this.releaseDrainWaiter?.(); // nobody may wait forever on a dead stream
    });
    stream.on('drain', () => this.releaseDrainWaiter?.());
  }

  /** Creates (truncates) the file, making its directory if needed. */
  static async open(file: string): Promise<NdjsonWriter> {
    await mkdir(dirname(file), { recursive: true });
    const stream = createWriteStream(file, { flags: 'w', highWaterMark: 4 * flushBytes });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return new NdjsonWriter(stream);
  }

  /** A promise to wait on while the stream applies backpressure, else undefined. */
  get blocked(): Promise<void> | undefined {
    return this.drainWaiter;
  }

  /** Appends one iteration record as a line. */
  writeIteration(result: IterationResult): void {
    if (this.failure) throw this.failure;
    this.encoder.iteration(result);
    this.linesWritten++;
    if (this.encoder.length >= flushBytes) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), flushDelayMs);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.encoder.length === 0) return;
    const bytes = this.encoder.take(this.spare.pop());
    const written = (): void => {
      if (bytes.buffer.byteLength === chunkBytes && this.spare.length < 8) {
        this.spare.push(Buffer.from(bytes.buffer, bytes.byteOffset, chunkBytes));
      }
    };
    if (!this.stream.write(bytes, written) && !this.drainWaiter) {
      this.drainWaiter = new Promise((resolve) => {
        this.releaseDrainWaiter = () => {
          this.drainWaiter = undefined;
          this.releaseDrainWaiter = undefined;
          resolve();
        };
      });
    }
  }

  /** Flushes everything and closes the file; rejects if any write failed. */
  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure) throw this.failure;
  }
}
