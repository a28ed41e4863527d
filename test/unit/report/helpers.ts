/** Test helpers: Rally's reference reports turned into the TaskRunRecord the orchestrator would fill. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRallyJson } from '../../../src/report/rally-json.js';
import type { LoadedTaskRecord, TaskRunRecord } from '../../../src/report/types.js';

export const REFERENCE = '/work/shared/reference/rally-3.3.0';

/** Deterministic shuffle, so consumers have to cope with NDJSON lines in completion order. */
export function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A loaded Rally task as a run record whose iterations sit (shuffled) in NDJSON files under `dir`. */
export function toRunRecord(loaded: LoadedTaskRecord, dir: string, name: string): TaskRunRecord {
  let n = 0;
  return {
    ...loaded,
    status: loaded.status as TaskRunRecord['status'],
    subtasks: loaded.subtasks.map((subtask) => ({
      ...subtask,
      workloads: subtask.workloads.map(({ iterations, ...workload }) => {
        const iterationsFile = join(dir, `${name}-${n++}.ndjson`);
        writeFileSync(iterationsFile, shuffled(iterations).map((it) => JSON.stringify(it) + '\n').join(''));
        return { ...workload, summary: { ...workload.summary, iterationsFile } };
      }),
    })),
  };
}

/** The first task of a reference report (results/<file>) as a run record. */
export async function referenceRun(file: string, dir: string): Promise<TaskRunRecord> {
  const report = await readRallyJson(`${REFERENCE}/results/${file}`);
  return toRunRecord(report.tasks[0]!, dir, file);
}
