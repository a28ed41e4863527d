import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  countFailedCriteria,
  formatResponseTimes,
  formatSlaCheckJson,
  formatSlaCheckTable,
  formatTaskConsole,
  renderTable,
} from '../../../src/report/console.js';
import { StatsAccumulator } from '../../../src/report/stats.js';
import type { TaskRunRecord } from '../../../src/report/types.js';
import { REFERENCE, referenceRun } from './helpers.js';

const workDir = mkdtempSync(join(tmpdir(), 'console-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const cliOutput = (file: string) => readFileSync(`${REFERENCE}/cli-output/${file}`, 'utf8');

/** The "Response Times (sec)" tables printed in a Rally console capture, in order. */
function rallyTables(text: string): string[] {
  const lines = text.split('\n');
  const tables: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i + 1]?.includes('Response Times (sec)')) continue;
    let end = i + 2;
    let borders = 0;
    for (; end < lines.length && borders < 3; end++) if (lines[end]!.startsWith('+')) borders++;
    tables.push(lines.slice(i, end).join('\n') + '\n');
    i = end;
  }
  return tables;
}

/** The first ```$ cmd ... [exit code: N]``` block of an sla-check capture, without the prompt and exit lines. */
function slaCheckOutput(file: string, json: boolean): { output: string; exitCode: number } {
  const blocks = cliOutput(file).split(/^\$ /m).filter(Boolean);
  const block = blocks.find((b) => b.includes('--json') === json)!;
  const lines = block.split('\n');
  const exitLine = lines.findIndex((l) => l.startsWith('[exit code:'));
  return { output: lines.slice(1, exitLine).join('\n') + '\n', exitCode: Number(/\d+/.exec(lines[exitLine]!)![0]) };
}

describe('Response Times (sec) table', () => {
  const cases: Array<[string, string]> = [
    ['d-sla-pass-fail-100.report.json', 'task-start-d-sla-pass-fail-100.console.txt'],
    ['f-all-features.report.json', 'task-start-f-all-features.console.txt'],
    ['os2-keystone-create-delete-user-100x5.report.json', 'task-start-os2.console.txt'],
  ];
  for (const [report, console] of cases) {
    it(`matches Rally's (${console})`, async () => {
      const run = await referenceRun(report, workDir);
      const ours = run.subtasks.flatMap((s) => s.workloads).map((w) => formatResponseTimes(w.statistics));
      expect(ours).toEqual(rallyTables(cliOutput(console)));
    });
  }

  it('prints n/a rows for a workload without iterations', () => {
    expect(formatResponseTimes(new StatsAccumulator().statistics())).toBe(
      [
        '+-----------------------------------------------------------------------------------------------------------+',
        '|                                           Response Times (sec)                                            |',
        '+--------+-----------+--------------+--------------+--------------+-----------+-----------+---------+-------+',
        '| Action | Min (sec) | Median (sec) | 90%ile (sec) | 95%ile (sec) | Max (sec) | Avg (sec) | Success | Count |',
        '+--------+-----------+--------------+--------------+--------------+-----------+-----------+---------+-------+',
        '| total  | n/a       | n/a          | n/a          | n/a          | n/a       | n/a       | n/a     | 0     |',
        '+--------+-----------+--------------+--------------+--------------+-----------+-----------+---------+-------+',
        '',
      ].join('\n'),
    );
  });
});

describe('task console block', () => {
  it("reproduces what `rally task start` prints after the run (d), without the hints", async () => {
    const run = await referenceRun('d-sla-pass-fail-100.report.json', workDir);
    const rally = cliOutput('task-start-d-sla-pass-fail-100.console.txt');
    const start = rally.indexOf('\n--------------------------------------------------------------------------------\nTask 0a199332');
    const end = rally.indexOf('\nHINTS:');
    const expected = rally.slice(start, end) + '\nAt least one workload did not pass SLA criteria.\n';
    expect(formatTaskConsole(run, { showIterationCounts: false })).toBe(expected);
  });

  it('adds iteration counts by default and colours only when asked', async () => {
    const run = await referenceRun('d-sla-pass-fail-100.report.json', workDir);
    const text = formatTaskConsole(run);
    expect(text).toContain('Load duration: 1.021059\nFull duration: 1.055745\nIterations: 100, failed: 0\n');
    expect(text).not.toContain('\u001b[');
    expect(formatTaskConsole(run, { color: true })).toContain('\u001b[31mAt least one workload did not pass SLA criteria.\u001b[39m');
  });

  it('lists grouped iteration errors under the error count header', async () => {
    const run = await referenceRun('f-all-features.report.json', workDir);
    const first = run.subtasks[0]!.workloads[0]!;
    const text = formatTaskConsole(run, {
      errors: new Map([[first.summary.uuid, { groups: [{ type: 'KeyError', message: "'Dummy test exception'", count: 13 }], otherCount: 0 }]]),
    });
    expect(text).toContain(
      "Task 517c28d4-7681-4ed7-a82e-720eec8b9dab has 13 error(s)\n" +
        '--------------------------------------------------------------------------------\n\n' +
        "13 x KeyError: 'Dummy test exception'\n" +
        '--------------------------------------------------------------------------------\n' +
        '+-----',
    );
  });
});

describe('sla-check output', () => {
  const cases: Array<[string, string]> = [
    ['d-sla-pass-fail-100.report.json', 'sla-check-d.txt'],
    ['f-all-features.report.json', 'sla-check-f.txt'],
    ['os1-authenticate-keystone-200x5.report.json', 'sla-check-os1.txt'],
    ['os2-keystone-create-delete-user-100x5.report.json', 'sla-check-os2.txt'],
  ];
  for (const [report, capture] of cases) {
    it(`table, JSON and failure count match Rally (${capture})`, async () => {
      const run = await referenceRun(report, workDir);
      const table = slaCheckOutput(capture, false);
      const json = slaCheckOutput(capture, true);
      expect(formatSlaCheckTable(run)).toBe(table.output);
      expect(formatSlaCheckJson(run)).toBe(json.output);
      expect(countFailedCriteria(run)).toBe(table.exitCode);
    });
  }

  it('colours PASS and FAIL without changing the layout', async () => {
    const run: TaskRunRecord = await referenceRun('d-sla-pass-fail-100.report.json', workDir);
    const coloured = formatSlaCheckTable(run, { color: true });
    expect(coloured).toContain('\u001b[32mPASS  \u001b[39m');
    expect(coloured).toContain('\u001b[31mFAIL  \u001b[39m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(formatSlaCheckTable(run));
  });
});

describe('renderTable', () => {
  it('draws an empty table as prettytable does (header only)', () => {
    expect(renderTable(['benchmark', 'pos'], [])).toBe(
      '+-----------+-----+\n| benchmark | pos |\n+-----------+-----+\n+-----------+-----+\n',
    );
  });
});
