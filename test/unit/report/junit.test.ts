import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IterationResult } from '../../../src/engine/types.js';
import { summarizeIterationErrors } from '../../../src/report/iteration-errors.js';
import { junitClassAndName, renderJUnit, writeJUnit, xmlSafe } from '../../../src/report/junit.js';
import type { TaskRunRecord } from '../../../src/report/types.js';
import { REFERENCE, referenceRun } from './helpers.js';

const workDir = mkdtempSync(join(tmpdir(), 'junit-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Attributes and text of the <testcase> elements, with a small regex reader (the XML is our own, regular layout). */
function testcases(xml: string): Array<{ classname: string; name: string; time: string; failureText?: string }> {
  const cases: Array<{ classname: string; name: string; time: string; failureText?: string }> = [];
  const re = /<testcase classname="([^"]*)" name="([^"]*)" time="([^"]*)"(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const failure = /<failure[^>]*>(?:<!\[CDATA\[([\s\S]*?)\]\]>)?<\/failure>/.exec(m[4] ?? '');
    cases.push({ classname: m[1]!, name: m[2]!, time: m[3]!, ...(failure ? { failureText: failure[1] ?? '' } : {}) });
  }
  return cases;
}

/** Rally's own junit export: classname/name/failure text per workload. */
function rallyCases(file: string): Array<{ classname: string; name: string; failureText?: string }> {
  const xml = readFileSync(`${REFERENCE}/results/${file}`, 'utf8');
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<testcase classname="([^"]*)" id="[^"]*" name="([^"]*)" time="[^"]*" timestamp="[^"]*"(?: \/>|>\s*<failure>([\s\S]*?)<\/failure>)/g)].map(
    (m) => ({ classname: m[1]!, name: m[2]!, ...(m[3] !== undefined ? { failureText: unescape(m[3]) } : {}) }),
  );
}

describe('renderJUnit', () => {
  const pairs: Array<[string, string]> = [
    ['d-sla-pass-fail-100.report.json', 'd-sla-pass-fail-100.junit.xml'],
    ['f-all-features.report.json', 'f-all-features.junit.xml'],
    ['os1-authenticate-keystone-200x5.report.json', 'os1-authenticate-keystone.junit.xml'],
    ['os2-keystone-create-delete-user-100x5.report.json', 'os2-keystone-create-delete-user.junit.xml'],
  ];
  for (const [report, junit] of pairs) {
    it(`has Rally's workload testcases and failure texts (${junit})`, async () => {
      const xml = await renderJUnit(await referenceRun(report, workDir));
      const workloadCases = testcases(xml)
        .filter((c) => !c.name.includes('.sla.'))
        .map(({ classname, name, failureText }) => ({ classname, name, ...(failureText !== undefined ? { failureText } : {}) }));
      expect(workloadCases).toEqual(rallyCases(junit));
    });
  }

  it('adds one testcase per SLA criterion, failing with its detail', async () => {
    const xml = await renderJUnit(await referenceRun('f-all-features.report.json', workDir));
    const slaCases = testcases(xml).filter((c) => c.name.includes('.sla.'));
    expect(slaCases.map((c) => c.name)).toEqual([
      'Dummy.dummy_random_fail_in_atomic[0].sla.failure_rate',
      'Dummy.dummy_random_fail_in_atomic[0].sla.max_seconds_per_iteration',
      'Dummy.dummy_random_fail_in_atomic[0].sla.max_avg_duration',
      'Dummy.dummy_random_fail_in_atomic[0].sla.max_avg_duration_per_atomic',
      'Dummy.dummy_random_fail_in_atomic[0].sla.outliers',
      'Dummy.dummy_random_fail_in_atomic[0].sla.performance_degradation',
      'Dummy.dummy_output[0].sla.failure_rate',
      'Dummy.dummy[0].sla.failure_rate',
      'Dummy.dummy[0].sla.max_avg_duration',
      'Dummy.dummy_random_action[0].sla.max_avg_duration_per_atomic',
      'Dummy.dummy_random_action[0].sla.performance_degradation',
    ]);
    expect(slaCases.filter((c) => c.failureText !== undefined).map((c) => c.failureText)).toEqual([
      'Current degradation: 678.947368% - Failed',
      "Average duration of one iteration for atomic actions:\nAction: 'action_0'. 0.03s <= 0.10s\nAction: 'action_1'. 0.03s <= 0.01s\nStatus: Failed",
      'Current degradation: 154.865615% - Failed',
    ]);
    expect(xml).toContain('<testsuite name="517c28d4-7681-4ed7-a82e-720eec8b9dab" timestamp="2026-11-21T09:36:06" time="13" tests="15" failures="5" errors="0" skipped="0">');
    expect(xml).toContain('<testcase classname="Dummy" name="dummy_random_action" time="2.1">');
  });

  it('summarises iteration errors in the workload testcase (never as JUnit errors)', async () => {
    const xml = await renderJUnit(await referenceRun('f-all-features.report.json', workDir));
    expect(xml).toContain(
      "<system-out><![CDATA[Iterations: 50, failed: 13 (26.0%)\nLoad duration: 0.008713\nFull duration: 0.010772\nIteration errors:\n  13 x KeyError: 'Dummy test exception']]></system-out>",
    );
    expect(xml).not.toMatch(/<error/);
  });

  it('is deterministic and writes the same bytes to a file', async () => {
    const run = await referenceRun('d-sla-pass-fail-100.report.json', workDir);
    const first = await renderJUnit(run);
    expect(await renderJUnit(run)).toBe(first);
    const file = join(workDir, 'd.xml');
    await writeJUnit(run, file);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('disambiguates the same scenario at the same position in two subtasks', async () => {
    const run = await referenceRun('d-sla-pass-fail-100.report.json', workDir);
    const twice: TaskRunRecord = { ...run, subtasks: [run.subtasks[0]!, run.subtasks[0]!] };
    const names = testcases(await renderJUnit(twice, { iterationErrors: new Map() })).map((c) => c.name);
    expect(names.filter((n) => n.endsWith('.sla.failure_rate'))).toEqual([
      'Dummy.dummy[0:0].sla.failure_rate',
      'Dummy.dummy[1:0].sla.failure_rate',
    ]);
  });
});

describe('helpers', () => {
  it('splits the scenario name at the first dot, like Rally', () => {
    expect(junitClassAndName('KeystoneBasic.create_delete_user')).toEqual({ classname: 'KeystoneBasic', name: 'create_delete_user' });
    expect(junitClassAndName('A.b.c')).toEqual({ classname: 'A', name: 'b.c' });
  });

  it('groups iteration errors by type and message, most frequent first', () => {
    const it = (error: IterationResult['error']): IterationResult => ({
      timestamp: 0,
      duration: 0,
      idle_duration: 0,
      error,
      output: { additive: [], complete: [] },
      atomic_actions: [],
    });
    const summary = summarizeIterationErrors([
      it(['A', 'one', 'tb']),
      it([]),
      it(['B', 'two', 'tb']),
      it(['B', 'two', 'tb']),
      it(['A', 'one', 'tb']),
      it(['C', 'three', 'tb']),
    ]);
    expect(summary.groups).toEqual([
      { type: 'A', message: 'one', count: 2 },
      { type: 'B', message: 'two', count: 2 },
      { type: 'C', message: 'three', count: 1 },
    ]);
  });

  it('keeps XML-illegal characters out of the document', () => {
    expect(xmlSafe('red \u001b[31m ok\ttab')).toBe('red \\x1b[31m ok\ttab');
    expect(xmlSafe('smile \ud83d\ude00 lone \ud83d')).toBe('smile \ud83d\ude00 lone \\ud83d');
  });
});
