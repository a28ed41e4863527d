/**
 * Rally's own gate task (corpus rally__self-rally.yaml), its subtasks that use only Dummy scenarios:
 * rally-gate must give every SLA criterion the verdict Rally 3.3.0 gave when run here
 * (test/fixtures/compat/README.md). About two minutes: the workloads sleep for real.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/pipeline/run-task.js';
import '../../src/plugins/index.js';
import { slaCheckRows } from '../../src/report/console.js';
import { loadTask } from '../../src/task/index.js';

const root = resolve(import.meta.dirname, '../..');
const corpusFile = resolve(root, '../shared/corpus/rally-jobs/rally__self-rally.yaml');

interface RallySlaRow {
  benchmark: string;
  pos: number;
  criterion: string;
  status: 'PASS' | 'FAIL';
  detail: string;
}

describe.skipIf(!existsSync(corpusFile))("Rally's self-rally task, Dummy part", () => {
  it('gives the same verdict as Rally 3.3.0 on every criterion', async () => {
    const loaded = await loadTask(corpusFile);
    const dummyOnly = loaded.config.subtasks.filter((s) =>
      s.workloads.every((w) => Object.keys(w.scenario)[0]!.startsWith('Dummy.')),
    );
    expect(dummyOnly.map((s) => s.workloads.length).reduce((a, b) => a + b)).toBe(24);
    const task = { ...loaded, config: { ...loaded.config, subtasks: dummyOnly } };

    const { record } = await runTask(task, { outDir: mkdtempSync(join(tmpdir(), 'rally-gate-self-rally-')), cwd: root });

    const rally = JSON.parse(
      readFileSync(join(root, 'test/fixtures/compat/self-rally-dummy.rally-3.3.0.sla-check.json'), 'utf8'),
    ) as RallySlaRow[];
    const ours = slaCheckRows(record);
    const verdicts = (rows: Array<Omit<RallySlaRow, 'detail'>>) => rows.map((r) => `${r.benchmark}[${r.pos}] ${r.criterion}: ${r.status}`);
    expect(verdicts(ours)).toEqual(verdicts(rally));
    expect(record.passSla).toBe(true);
  }, 400_000);
});
