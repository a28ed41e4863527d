/** Shared helpers for engine tests: run a workload into a temp NDJSON file and read it back. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { JsonValue } from '../../../src/common/json.js';
import type { HookConfig, WorkloadConfig } from '../../../src/task/types.js';
import type { IterationResult, WorkloadRunSummary } from '../../../src/engine/types.js';
import { runWorkload, type RunWorkloadOptions } from '../../../src/engine/workload.js';

const dir = mkdtempSync(join(tmpdir(), 'rally-gate-engine-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

export interface WorkloadSpec {
  scenario: string;
  args?: JsonValue;
  runner: Record<string, Record<string, JsonValue>>;
  contexts?: Record<string, JsonValue>;
  hooks?: HookConfig[];
}

export function workloadConfig(spec: WorkloadSpec): WorkloadConfig {
  return {
    runner: spec.runner as WorkloadConfig['runner'],
    sla: {},
    contexts: spec.contexts ?? {},
    hooks: spec.hooks ?? [],
    scenario: { [spec.scenario]: spec.args ?? {} },
  };
}

export interface Run {
  summary: WorkloadRunSummary;
  /** the NDJSON lines in file (completion) order */
  records: IterationResult[];
  /** sorted by timestamp */
  byStart: IterationResult[];
}

export async function run(spec: WorkloadSpec, extra: Partial<RunWorkloadOptions> = {}): Promise<Run> {
  const iterationsFile = join(dir, `w${++counter}.ndjson`);
  const summary = await runWorkload({
    workload: workloadConfig(spec),
    uuid: `workload-${counter}`,
    taskUuid: 'task-1',
    subtaskIndex: 0,
    position: 0,
    iterationsFile,
    ...extra,
  });
  const text = readFileSync(iterationsFile, 'utf8');
  const records = text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as IterationResult);
  return { summary, records, byStart: [...records].sort((a, b) => a.timestamp - b.timestamp) };
}

export function tempPath(name: string): string {
  return join(dir, name);
}
