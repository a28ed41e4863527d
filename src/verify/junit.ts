/**
 * JUnit XML of a verification: one <testcase> per test, classname = the test's class, name = the
 * method with its [attributes]. fail and uxsuccess are <failure>s (an unexpected success breaks an
 * expectation, as in Rally); xfail passes (its reason in system-out); skip is <skipped/> (reason in
 * system-out). A class-level failure that hit no test gets its own failing testcase.
 */
import { writeFile } from 'node:fs/promises';
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { xmlSafe } from '../report/junit.js';
import { failureSummary } from './results.js';
import type { VerificationResult, VerifyTestResult } from './types.js';

// The package's CommonJS module.exports *is* the builder; TypeScript's NodeNext view puts it under `default`.
const rootBuilder = ((junitReportBuilder as unknown as { default?: Builder }).default ?? junitReportBuilder) as unknown as Builder;


function methodPart(test: VerifyTestResult): string {
  return test.id.slice(test.className.length + 1) || test.id;
}

export function renderVerificationJUnit(result: VerificationResult, suiteName = 'tempest'): string {
  const builder = rootBuilder.newBuilder();
  const suite = builder
    .testSuite()
    .name(suiteName)
    .timestamp(result.startedAt)
    .time(result.totals.duration)
    .property('passed', String(result.passed));
  if (result.selection.set !== undefined) suite.property('set', xmlSafe(result.selection.set));
  if (result.selection.pattern !== undefined) suite.property('pattern', xmlSafe(result.selection.pattern));
  for (const test of result.tests) {
    const testCase = suite.testCase().className(xmlSafe(test.className)).name(xmlSafe(methodPart(test))).time(test.duration);
    switch (test.status) {
      case 'fail':
        testCase.failure(xmlSafe(failureSummary(test.traceback ?? test.reason) || 'failed'), 'fail').stacktrace(xmlSafe(test.traceback ?? test.reason ?? ''));
        break;
      case 'uxsuccess':
        testCase.failure(xmlSafe(test.reason ?? 'unexpected success: expected to fail, but passed'), 'uxsuccess');
        break;
      case 'skip':
        testCase.skipped();
        if (test.reason) testCase.standardOutput(xmlSafe(`skipped: ${test.reason}`));
        break;
      case 'xfail':
        testCase.standardOutput(xmlSafe(`expected failure${test.reason ? `: ${test.reason}` : ''}${test.traceback ? `\n${test.traceback}` : ''}`));
        break;
      case 'success':
        break;
    }
  }
  for (const fixture of result.classLevel) {
    if (fixture.appliedTo.length > 0 || (fixture.status !== 'fail' && fixture.status !== 'uxsuccess')) continue;
    suite
      .testCase()
      .className(xmlSafe(fixture.target))
      .name(xmlSafe(fixture.id))
      .time(0)
      .failure(xmlSafe(failureSummary(fixture.traceback ?? fixture.reason) || 'class-level failure'), 'fail')
      .stacktrace(xmlSafe(fixture.traceback ?? fixture.reason ?? ''));
  }
  return builder.build();
}

export async function writeVerificationJUnit(result: VerificationResult, file: string): Promise<void> {
  await writeFile(file, renderVerificationJUnit(result));
}
