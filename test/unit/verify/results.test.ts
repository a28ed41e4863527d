/**
 * Results from real streams (test/fixtures/subunit): statuses, durations, texts, class-level
 * failures spread to their tests, the xfail and skip lists; then JUnit, comparison, markdown.
 */
import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVerifications } from '../../../src/verify/compare.js';
import { renderVerificationJUnit } from '../../../src/verify/junit.js';
import { renderVerificationMarkdown } from '../../../src/verify/markdown.js';
import { VerificationCollector, failureSummary, testName, testTags, verificationPassed } from '../../../src/verify/results.js';
import { parseSubunit } from '../../../src/verify/subunit.js';
import type { TestReasons, VerificationResult, VerifyTestResult } from '../../../src/verify/types.js';

const fixtures = resolve(import.meta.dirname, '../../fixtures/subunit');
const T = 'tests.test_statuses.';

async function collect(file: string, lists: { xfail?: TestReasons; skip?: TestReasons } = {}) {
  const collector = new VerificationCollector(lists);
  const progress: string[] = [];
  for await (const event of parseSubunit(createReadStream(join(fixtures, file)))) {
    const p = collector.add(event);
    if (p?.kind === 'finished') progress.push(`${p.test.id} ${p.test.status}`);
  }
  return { ...collector.finish(), progress };
}

function byId(tests: VerifyTestResult[]): Map<string, VerifyTestResult> {
  return new Map(tests.map((t) => [t.id, t]));
}

function asResult(collected: Awaited<ReturnType<typeof collect>>, startedAt = '2026-01-01T00:00:00.000Z'): VerificationResult {
  return {
    format: 'rally-gate-verification/1',
    startedAt,
    finishedAt: startedAt,
    selection: { set: 'identity' },
    totals: collected.totals,
    tests: collected.tests,
    classLevel: collected.classLevel,
    passed: verificationPassed(collected.totals),
  };
}

describe('test ids', () => {
  it('splits attributes like Rally', () => {
    const id = 'tempest.api.identity.v3.test_domains.DefaultDomainTestJSON.test_default_domain_exists[id-17a5de24,smoke]';
    expect(testName(id)).toBe('tempest.api.identity.v3.test_domains.DefaultDomainTestJSON.test_default_domain_exists');
    expect(testTags(id)).toEqual(['id-17a5de24', 'smoke']);
    expect(testTags('a.B.c')).toEqual([]);
  });
});

describe('VerificationCollector on the stestr stream of all statuses', () => {
  it('gives each test its status, duration, texts and attributes', async () => {
    const r = await collect('stestr-statuses.subunit');
    const tests = byId(r.tests);
    expect(tests.get(`${T}StatusesTest.test_passes[smoke]`)).toMatchObject({ status: 'success', tags: ['smoke'], className: `${T}StatusesTest`, worker: 'worker-1' });
    expect(tests.get(`${T}StatusesTest.test_slow[slow,type=api]`)!.duration).toBeGreaterThanOrEqual(1.1);
    expect(tests.get(`${T}StatusesTest.test_fails`)!.traceback).toContain('MismatchError: 1 != 2: one is not two');
    expect(tests.get(`${T}StatusesTest.test_errors`)).toMatchObject({ status: 'fail' });
    expect(tests.get(`${T}StatusesTest.test_skipped`)).toMatchObject({ status: 'skip', reason: 'not on this cloud: feature disabled' });
    expect(tests.get(`${T}SkippedClassTest.test_a`)).toMatchObject({ status: 'skip', reason: 'whole class skipped: service not available' });
    expect(tests.get(`${T}ExpectationsTest.test_expected_failure`)!.status).toBe('xfail');
    expect(tests.get(`${T}ExpectationsTest.test_unexpected_success`)!.status).toBe('uxsuccess');
    expect(r.progress).toHaveLength(8); // the two tests of the broken class never ran
  });

  it('applies a failing setUpClass to the tests of its class', async () => {
    const r = await collect('stestr-statuses.subunit');
    const tests = byId(r.tests);
    for (const name of ['test_one', 'test_two']) {
      const test = tests.get(`${T}BrokenSetupTest.${name}`)!;
      expect(test.status).toBe('fail');
      expect(test.traceback).toContain('class-level setup failed: no such role "nonexistent"');
      expect(test.duration).toBe(0);
    }
    expect(r.classLevel).toEqual([
      expect.objectContaining({ id: `setUpClass (${T}BrokenSetupTest)`, target: `${T}BrokenSetupTest`, status: 'fail', appliedTo: [`${T}BrokenSetupTest.test_one`, `${T}BrokenSetupTest.test_two`] }),
    ]);
    expect(r.totals).toMatchObject({ tests: 10, success: 2, failures: 4, skipped: 2, expectedFailures: 1, unexpectedSuccesses: 1, classFailures: 0 });
    expect(r.totals.duration).toBeGreaterThan(1);
    expect(verificationPassed(r.totals)).toBe(false);
  });

  it('turns listed failures into xfail with the reason, listed passes into uxsuccess, and reports skip-list tests', async () => {
    const r = await collect('stestr-statuses.subunit', {
      xfail: { [`${T}StatusesTest.test_fails`]: 'bug 123: keystone refuses the PATCH', [`${T}StatusesTest.test_passes`]: 'flaky' },
      skip: { [`${T}NotRun.test_x`]: 'takes an hour' },
    });
    const tests = byId(r.tests);
    expect(tests.get(`${T}StatusesTest.test_fails`)).toMatchObject({ status: 'xfail', reason: 'bug 123: keystone refuses the PATCH' });
    expect(tests.get(`${T}StatusesTest.test_fails`)!.traceback).toContain('one is not two');
    expect(tests.get(`${T}StatusesTest.test_passes[smoke]`)).toMatchObject({ status: 'uxsuccess', reason: 'on the xfail list (flaky), but it passed' });
    expect(tests.get(`${T}NotRun.test_x`)).toMatchObject({ status: 'skip', reason: 'takes an hour', duration: 0 });
  });
});

describe('VerificationCollector on the real tempest stream', () => {
  it('passes the identity token tests', async () => {
    const r = await collect('tempest-identity-tokens.subunit');
    expect(r.totals).toMatchObject({ tests: 4, success: 4, failures: 0 });
    expect(verificationPassed(r.totals)).toBe(true);
    const domain = r.tests.find((t) => t.name.endsWith('test_default_domain_exists'))!;
    expect(domain.tags).toEqual(['id-17a5de24-e6a0-4e4a-a9ee-d85b6e5612b5', 'smoke']);
    expect(domain.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // request logs are attached but are not failure texts
    expect(r.tests.every((t) => t.traceback === undefined)).toBe(true);
  });
});

describe('a worker that died', () => {
  it('reports announced tests with no result as failures', async () => {
    const collector = new VerificationCollector();
    collector.add({ kind: 'packet', offset: 0, testId: 'a.B.test_x', status: 'exists', eof: false, runnable: true });
    collector.add({ kind: 'packet', offset: 10, testId: 'a.B.test_x', status: 'inprogress', timestamp: 1000, eof: false, runnable: true });
    const r = collector.finish();
    expect(r.tests[0]).toMatchObject({ status: 'fail', traceback: expect.stringContaining('worker stopped before reporting it') });
  });

  it('keeps a tearDownClass failure that hit no test, and fails the run', async () => {
    const collector = new VerificationCollector();
    collector.add({ kind: 'packet', offset: 0, testId: 'a.B.test_x', status: 'exists', eof: false, runnable: true });
    collector.add({ kind: 'packet', offset: 1, testId: 'a.B.test_x', status: 'success', eof: false, runnable: true });
    collector.add({ kind: 'packet', offset: 2, testId: 'tearDownClass (a.B)', fileName: 'traceback', fileBytes: new TextEncoder().encode('Boom: leaked server'), eof: true, runnable: true });
    collector.add({ kind: 'packet', offset: 3, testId: 'tearDownClass (a.B)', status: 'fail', eof: false, runnable: true });
    const r = collector.finish();
    expect(r.classLevel).toEqual([expect.objectContaining({ id: 'tearDownClass (a.B)', appliedTo: [], traceback: 'Boom: leaked server' })]);
    expect(r.totals.classFailures).toBe(1);
    expect(verificationPassed(r.totals)).toBe(false);
  });
});

describe('reports', () => {
  it('JUnit: a testcase per test; fail and uxsuccess fail, xfail passes, skip is skipped', async () => {
    const xml = renderVerificationJUnit(asResult(await collect('stestr-statuses.subunit')));
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    expect(xml).toMatch(/<testsuite name="tempest" [^>]*tests="10" failures="5" errors="0" skipped="2"/);
    expect(xml).toContain('classname="tests.test_statuses.StatusesTest" name="test_passes[smoke]"');
    expect(xml).toMatch(/name="test_unexpected_success"[^>]*>\s*<failure message="unexpected success/);
    expect(xml).toMatch(/name="test_expected_failure"[^>]*>\s*<system-out>/);
    expect(xml).toContain('message="testtools.matchers._impl.MismatchError: 1 != 2: one is not two"');
  });

  it('comparison: newly failing and much slower (>= 2x and >= 1 s), not small slowdowns', async () => {
    const base = asResult(await collect('stestr-statuses.subunit'));
    const current = structuredClone(base);
    const slow = current.tests.find((t) => t.name.endsWith('test_slow'))!;
    slow.duration = slow.duration * 2 + 0.1;
    const quick = current.tests.find((t) => t.name.endsWith('test_passes'))!;
    quick.duration *= 5; // 5x but far under a second: not news
    const skipped = current.tests.find((t) => t.name.endsWith('test_skipped'))!;
    skipped.status = 'fail';
    const fixedTest = current.tests.find((t) => t.name.endsWith('test_fails'))!;
    fixedTest.status = 'success';
    const cmp = compareVerifications(base, current);
    expect(cmp.newlyFailing.map((c) => [c.id, c.previous, c.current])).toEqual([[skipped.id, 'skip', 'fail']]);
    expect(cmp.slower.map((s) => s.id)).toEqual([slow.id]);
    expect(cmp.fixed.map((c) => c.id)).toEqual([fixedTest.id]);
    const md = renderVerificationMarkdown(current, cmp);
    expect(md).toContain('### Cloud verification (Tempest)');
    expect(md).toContain(':x: **failed**: 10 tests (set `identity`)');
    expect(md).toContain('**Newly failing**');
    expect(md).toContain(`- \`${skipped.id}\` (skip -> fail)`);
    expect(md).toMatch(/\*\*Much slower\*\* \(at least 2x and 1 s more than before\)/);
    expect(md).toContain('Fixed since the previous verification: 1 test(s).');
  });

  it('markdown of a passing run says so', async () => {
    const md = renderVerificationMarkdown(asResult(await collect('tempest-identity-tokens.subunit')));
    expect(md).toContain(':white_check_mark: **passed**: 4 tests');
    expect(md).not.toContain('Failing tests');
  });
});

describe('failure summaries', () => {
  it('gives the exception line and its details from a real tempest failure', async () => {
    const r = await collect('tempest-wrong-option.subunit');
    const [test] = r.tests;
    expect(test!.status).toBe('fail');
    expect(failureSummary(test!.traceback)).toMatch(/^tempest\.lib\.exceptions\.Forbidden: Forbidden Details: \{'code': 403, 'message': 'You are not authorized to perform the requested action: identity:get_domain\.'/);
  });

  it('keeps a plain reason whole and cuts long ones', () => {
    expect(failureSummary('not on this cloud: feature disabled')).toBe('not on this cloud: feature disabled');
    expect(failureSummary(`ValueError: ${'x'.repeat(500)}`, 50)).toHaveLength(50);
  });
});
