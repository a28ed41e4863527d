import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IterationResult } from '../../../src/engine/types.js';
import { readRallyJson, writeRallyJson } from '../../../src/report/rally-json.js';
import { StatsAccumulator } from '../../../src/report/stats.js';
import type { TaskRunRecord } from '../../../src/report/types.js';
import { REFERENCE as REFERENCE_ROOT, toRunRecord } from './helpers.js';

const REFERENCE = `${REFERENCE_ROOT}/results`;

const workDir = mkdtempSync(join(tmpdir(), 'rally-json-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function roundTrip(file: string): Promise<{ expected: string; actual: string }> {
  const expected = readFileSync(`${REFERENCE}/${file}`, 'utf8');
  const report = await readRallyJson(`${REFERENCE}/${file}`);
  const out = join(workDir, file);
  const generatedAt = new Date(`${report.info.generated_at}Z`);
  await writeRallyJson(toRunRecord(report.tasks[0]!, workDir, file), out, { generatedAt });
  return { expected, actual: readFileSync(out, 'utf8') };
}

describe('writeRallyJson reproduces Rally 3.3.0 reports', () => {
  it('d-sla-pass-fail-100: byte for byte', async () => {
    const { expected, actual } = await roundTrip('d-sla-pass-fail-100.report.json');
    expect(actual).toBe(expected);
  });

  it('os1 (contexts with a cleanup error): byte for byte', async () => {
    const { expected, actual } = await roundTrip('os1-authenticate-keystone-200x5.report.json');
    expect(actual).toBe(expected);
  });

  it('os2: byte for byte', async () => {
    const { expected, actual } = await roundTrip('os2-keystone-create-delete-user-100x5.report.json');
    expect(actual).toBe(expected);
  });

  it('f-all-features (hooks, outputs, failed atomics, contexts): same document', async () => {
    const { expected, actual } = await roundTrip('f-all-features.report.json');
    expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
    // Only whole-number floats written in the task file (1.0) come back as ints (1): JS cannot tell them apart.
    const expectedLines = expected.split('\n');
    const differing = actual.split('\n').filter((line, i) => line !== expectedLines[i]);
    expect(differing.map((line) => line.trim())).toEqual(['"max_seconds_per_iteration": 1,']);
  });
});

function iteration(timestamp: number, duration: number, extra: Partial<IterationResult> = {}): IterationResult {
  return {
    timestamp,
    duration,
    idle_duration: 0,
    error: [],
    output: { additive: [], complete: [] },
    atomic_actions: [],
    ...extra,
  };
}

describe('writeRallyJson details', () => {
  it('writes whole-number durations as floats, empty data as [], null start/min/max when nothing ran', async () => {
    const empty = join(workDir, 'empty.ndjson');
    writeFileSync(empty, '');
    const full = join(workDir, 'full.ndjson');
    writeFileSync(full, [iteration(2, 1), iteration(1, 0)].map((it) => JSON.stringify(it)).join('\n'));
    const stats = new StatsAccumulator();
    const workload = (iterationsFile: string, position: number) => ({
      config: {
        scenario: { 'Dummy.dummy': {} },
        runner: { serial: { times: 1 } },
        contexts: {},
        sla: { failure_rate: { max: 0 } },
        hooks: [{ action: { sys_call: 'true' }, trigger: { event: { unit: 'iteration', at: [1] } } }],
      },
      description: 'Do nothing.',
      statistics: stats.statistics(),
      summary: {
        uuid: `w${position}`,
        subtaskIndex: 0,
        position,
        iterationsFile,
        totalIterationCount: 0,
        failedIterationCount: 0,
        startTime: null,
        loadDuration: 0,
        fullDuration: 3,
        minDuration: null,
        maxDuration: null,
        createdAt: '2026-01-02T03:04:05.678Z',
        updatedAt: '2026-01-02T03:04:06Z',
        contextsResults: [],
        hooks: [],
        slaResults: [],
        passSla: true,
      },
    });
    const run: TaskRunRecord = {
      uuid: 't',
      task: { version: 2, title: 'T', description: '', tags: [], subtasks: [] },
      title: 'T',
      description: 'ü',
      tags: ['x'],
      envName: 'empty',
      envUuid: 'e',
      status: 'finished',
      createdAt: '2026-01-02T03:04:05Z',
      updatedAt: '2026-01-02T03:04:09Z',
      passSla: true,
      subtasks: [
        {
          uuid: 's',
          config: { title: 'S', description: '', tags: [], workloads: [] },
          status: 'finished',
          createdAt: '2026-01-02T03:04:05Z',
          updatedAt: '2026-01-02T03:04:09Z',
          workloads: [workload(empty, 0), workload(full, 1)],
        },
      ],
    };
    const out = join(workDir, 'details.json');
    await writeRallyJson(run, out, { generatedAt: new Date('2026-01-02T03:05:00Z') });
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('"description": "\\u00fc"');
    expect(text).toContain('"generated_at": "2026-01-02T03:05:00"');
    expect(text).toContain('"created_at": "2026-01-02T03:04:05"');
    expect(text).toContain('"data": [],');
    expect(text).toContain('"full_duration": 3.0,');
    expect(text).toContain('"start_time": null,');
    const parsed = JSON.parse(text);
    const [w0, w1] = parsed.tasks[0].subtasks[0].workloads;
    expect(w0.hooks).toEqual([
      {
        config: { action: { sys_call: 'true' }, trigger: { event: { unit: 'iteration', at: [1] } }, description: null },
        results: [],
        summary: {},
      },
    ]);
    expect(w1.data.map((d: IterationResult) => d.timestamp)).toEqual([1, 2]);
    expect(text).toMatch(/"duration": 0\.0,\n\s+"timestamp": 1\.0,/);
    expect(text.endsWith('}')).toBe(true);
  });

  it('accepts a missing iterations file for a workload that ran nothing, and leaves no file behind on failure', async () => {
    const loaded = await readRallyJson(`${REFERENCE}/d-sla-pass-fail-100.report.json`);
    const run = toRunRecord(loaded.tasks[0]!, workDir, 'missing');
    const summary = run.subtasks[0]!.workloads[0]!.summary;
    summary.iterationsFile = join(workDir, 'does-not-exist.ndjson');
    const out = join(workDir, 'absent-iterations.json');
    await expect(writeRallyJson(run, out)).rejects.toThrow(/ENOENT/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(workDir).filter((f) => f.includes('.partial-'))).toEqual([]);
    summary.totalIterationCount = 0;
    await writeRallyJson(run, out);
    expect(JSON.parse(readFileSync(out, 'utf8')).tasks[0].subtasks[0].workloads[0].data).toEqual([]);
  });

  it('streams a large NDJSON file in timestamp order', async () => {
    const file = join(workDir, 'large.ndjson');
    const count = 20_000;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      // completion order: nearly but not exactly sorted by start time
      const timestamp = 1_800_000_000 + i * 0.001 + ((i * 7919) % 13) * 0.0005;
      lines.push(JSON.stringify(iteration(timestamp, 0.01 + (i % 10) * 0.001)));
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const loaded = await readRallyJson(`${REFERENCE}/d-sla-pass-fail-100.report.json`);
    const run = toRunRecord(loaded.tasks[0]!, workDir, 'large');
    run.subtasks[0]!.workloads[0]!.summary.iterationsFile = file;
    const out = join(workDir, 'large.json');
    await writeRallyJson(run, out);
    const data: IterationResult[] = JSON.parse(readFileSync(out, 'utf8')).tasks[0].subtasks[0].workloads[0].data;
    expect(data).toHaveLength(count);
    expect(data.every((d, i) => i === 0 || d.timestamp >= data[i - 1]!.timestamp)).toBe(true);
  });
});

describe('readRallyJson', () => {
  it('loads records, statistics and iterations of a Rally report', async () => {
    const report = await readRallyJson(`${REFERENCE}/f-all-features.report.json`);
    expect(report.info.format_version).toBe('1.2');
    const task = report.tasks[0]!;
    expect(task.passSla).toBe(false);
    expect(task.subtasks.map((s) => s.config.title)).toEqual([
      'Dummy.dummy_random_fail_in_atomic',
      'Dummy.dummy_output',
      'Dummy.dummy',
      'Dummy.dummy_random_action',
    ]);
    const hooked = task.subtasks[3]!.workloads[0]!;
    expect(hooked.config.hooks[0]).toEqual({
      action: { sys_call: 'echo hello-from-hook' },
      trigger: { event: { unit: 'iteration', at: [10, 20] } },
      description: 'echo from hook',
    });
    expect(hooked.summary.totalIterationCount).toBe(40);
    expect(hooked.iterations).toHaveLength(40);
    expect(task.task.subtasks).toHaveLength(4);
  });

  it('turns a context error list into the record form', async () => {
    const report = await readRallyJson(`${REFERENCE}/os1-authenticate-keystone-200x5.report.json`);
    const error = report.tasks[0]!.subtasks[0]!.workloads[0]!.summary.contextsResults[0]!.cleanup.error;
    expect(error?.etype).toBe('EndpointNotFound');
  });

  it('refuses the old results format and broken files with input errors', async () => {
    await expect(readRallyJson(`${REFERENCE}/d-sla-pass-fail-100.task-results.json`)).rejects.toThrow(/old "rally task results" format/);
    const broken = join(workDir, 'broken.json');
    writeFileSync(broken, '{"tasks": [{"subtasks": 3}]}');
    await expect(readRallyJson(broken)).rejects.toThrow(/tasks\[0\]\.subtasks: must be an array/);
    await expect(readRallyJson(join(workDir, 'missing.json'))).rejects.toThrow(/file not found/);
  });
});
