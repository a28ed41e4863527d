/**
 * Progress for long runs: on a terminal one redrawn status line (at most 10 redraws a second);
 * otherwise (CI logs) plain lines: a line when a workload starts and a heartbeat every 30 s.
 */
import { performance } from 'node:perf_hooks';

export interface WorkloadProgressInfo {
  /** 1-based position among all workloads of the task */
  index: number;
  count: number;
  scenario: string;
  runner: string;
  /** iterations the runner will launch, when it knows (constant, rps, serial) */
  expected?: number;
}

export interface ProgressReporter {
  workloadStarted(info: WorkloadProgressInfo): void;
  update(done: number, failed: number): void;
  /** clears the status line; the caller prints the workload's results next */
  workloadFinished(): void;
  /** a line that must not be overwritten by the status line */
  note(line: string): void;
}

export function createProgressReporter(stream: NodeJS.WriteStream, enabled: boolean): ProgressReporter {
  return enabled && stream.isTTY ? new TerminalProgress(stream) : new PlainProgress(stream);
}

class TerminalProgress implements ProgressReporter {
  private info?: WorkloadProgressInfo;
  private startedAt = 0;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  workloadStarted(info: WorkloadProgressInfo): void {
    this.info = info;
    this.startedAt = performance.now();
    this.lastDraw = 0;
    this.update(0, 0);
  }

  update(done: number, failed: number): void {
    const now = performance.now();
    if (!this.info || (now - this.lastDraw < 100 && done !== this.info.expected)) return;
    this.lastDraw = now;
    const { index, count, scenario, runner, expected } = this.info;
    const elapsed = (now - this.startedAt) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const of = expected === undefined ? `${done}` : `${done}/${expected}`;
    const bar = expected ? ` ${renderBar(done / expected, 20)}` : '';
    const line = `[${index}/${count}] ${scenario} (${runner})${bar} ${of} it, ${rate.toFixed(rate < 10 ? 1 : 0)} it/s, ${failed} failed, ${elapsed.toFixed(1)} s`;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, width - 1))}`);
    this.drawn = true;
  }

  workloadFinished(): void {
    this.clear();
    this.info = undefined;
  }

  note(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
  }

  private clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}

class PlainProgress implements ProgressReporter {
  private info?: WorkloadProgressInfo;
  private startedAt = 0;
  private lastBeat = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  workloadStarted(info: WorkloadProgressInfo): void {
    this.info = info;
    this.startedAt = this.lastBeat = performance.now();
    const expected = info.expected === undefined ? '' : `, ${info.expected} iterations`;
    this.stream.write(`[${info.index}/${info.count}] ${info.scenario} (${info.runner}${expected}) started\n`);
  }

  update(done: number, failed: number): void {
    const now = performance.now();
    if (!this.info || now - this.lastBeat < 30_000) return;
    this.lastBeat = now;
    const of = this.info.expected === undefined ? `${done}` : `${done}/${this.info.expected}`;
    this.stream.write(`[${this.info.index}/${this.info.count}] ... ${of} iterations, ${failed} failed, ${((now - this.startedAt) / 1000).toFixed(0)} s\n`);
  }

  workloadFinished(): void {
    this.info = undefined;
  }

  note(line: string): void {
    this.stream.write(`${line}\n`);
  }
}

function renderBar(fraction: number, width: number): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
