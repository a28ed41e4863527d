/**
 * Iteration errors of a workload grouped by type and message, for the JUnit and console summaries
 * (Rally prints every traceback; a 10k-iteration run with one recurring error needs one line).
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { IterationResult, IterationSink } from '../engine/types.js';

/** Iteration errors of one workload, grouped by "Type: message". */
export interface IterationErrorGroup {
  type: string;
  message: string;
  count: number;
}

/** At most this many distinct error groups are kept per workload (the rest are counted as "other"). */
const MAX_ERROR_GROUPS = 20;

export interface IterationErrorSummary {
  groups: IterationErrorGroup[];
  /** failed iterations whose error did not fit in `groups` */
  otherCount: number;
}

/** Groups iteration errors as they stream by; attach it as an IterationSink or feed it a file. */
export class IterationErrorCollector implements IterationSink {
  private readonly groups = new Map<string, IterationErrorGroup>();
  private otherCount = 0;

  onIteration(iteration: IterationResult): void {
    if (iteration.error.length === 0) return;
    const [type = 'Unknown type', message = ''] = iteration.error;
    const key = `${type}\u0000${message}`;
    const group = this.groups.get(key);
    if (group) group.count += 1;
    else if (this.groups.size < MAX_ERROR_GROUPS) this.groups.set(key, { type, message, count: 1 });
    else this.otherCount += 1;
  }

  /** Most frequent first; ties keep first-seen order. */
  summary(): IterationErrorSummary {
    const groups = [...this.groups.values()].map((group) => ({ ...group }));
    groups.sort((a, b) => b.count - a.count); // stable: ties stay in first-seen order
    return { groups, otherCount: this.otherCount };
  }
}

export function summarizeIterationErrors(iterations: Iterable<IterationResult>): IterationErrorSummary {
  const collector = new IterationErrorCollector();
  for (const iteration of iterations) collector.onIteration(iteration);
  return collector.summary();
}

/** Streams a workload's NDJSON file and groups its iteration errors. */
export async function summarizeIterationErrorsFromFile(file: string): Promise<IterationErrorSummary> {
  const collector = new IterationErrorCollector();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') collector.onIteration(JSON.parse(line) as IterationResult);
  }
  return collector.summary();
}
