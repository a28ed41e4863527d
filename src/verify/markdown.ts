/**
 * The verification section of the PR comment (and summary.md): one verdict line, the totals, the
 * failing tests with their reason, and against the previous verification the tests that newly
 * fail or became much slower. Long lists are cut, the rest is in results.json and junit.xml.
 */
import { escapeMarkdown } from '../gate/report.js';
import type { VerificationComparison } from './compare.js';
import { failureSummary } from './results.js';
import { isFailingStatus, type VerificationResult } from './types.js';

const MAX_LISTED = 20;

function code(id: string): string {
  return `\`${id.replace(/`/g, "'")}\``;
}


function cut<T>(items: readonly T[], render: (item: T) => string): string[] {
  const lines = items.slice(0, MAX_LISTED).map(render);
  if (items.length > MAX_LISTED) lines.push(`- ... and ${items.length - MAX_LISTED} more (see results.json)`);
  return lines;
}

function seconds(value: number): string {
  return value >= 10 ? `${value.toFixed(0)} s` : `${value.toFixed(2)} s`;
}

export function renderVerificationMarkdown(result: VerificationResult, comparison?: VerificationComparison): string {
  const t = result.totals;
  const what = result.selection.set ? `set \`${result.selection.set}\`` : result.selection.pattern ? `pattern ${code(result.selection.pattern)}` : 'selected tests';
  const verdict = result.passed ? ':white_check_mark: **passed**' : ':x: **failed**';
  const lines = [
    '### Cloud verification (Tempest)',
    '',
    `${verdict}: ${t.tests} tests (${what}) in ${seconds(t.duration)}`,
    '',
    '| success | failures | skipped | expected failures | unexpected successes |',
    '|---:|---:|---:|---:|---:|',
    `| ${t.success} | ${t.failures} | ${t.skipped} | ${t.expectedFailures} | ${t.unexpectedSuccesses} |`,
    '',
  ];
  const failing = result.tests.filter((test) => isFailingStatus(test.status));
  if (failing.length > 0) {
    lines.push('**Failing tests**', '');
    lines.push(...cut(failing, (test) => `- ${code(test.id)}${test.status === 'uxsuccess' ? ' (unexpected success)' : ''}: ${escapeMarkdown(failureSummary(test.traceback ?? test.reason)) || 'no reason given'}`));
    lines.push('');
  }
  const orphans = result.classLevel.filter((c) => isFailingStatus(c.status) && c.appliedTo.length === 0);
  if (orphans.length > 0) {
    lines.push('**Class-level failures**', '');
    lines.push(...cut(orphans, (c) => `- ${code(c.id)}: ${escapeMarkdown(failureSummary(c.traceback ?? c.reason)) || 'no reason given'}`));
    lines.push('');
  }
  const xfails = result.tests.filter((test) => test.status === 'xfail');
  if (xfails.length > 0) {
    lines.push('<details><summary>Expected failures</summary>', '');
    lines.push(...cut(xfails, (test) => `- ${code(test.id)}${test.reason ? `: ${escapeMarkdown(test.reason)}` : ''}`));
    lines.push('', '</details>', '');
  }
  if (comparison) {
    if (comparison.newlyFailing.length === 0 && comparison.slower.length === 0) {
      lines.push('Against the previous verification: no test newly fails, none became much slower.', '');
    }
    if (comparison.newlyFailing.length > 0) {
      lines.push('**Newly failing** (passed or absent in the previous verification)', '');
      lines.push(...cut(comparison.newlyFailing, (c) => `- ${code(c.id)} (${c.previous ?? 'new'} -> ${c.current})`));
      lines.push('');
    }
    if (comparison.slower.length > 0) {
      const { ratio, seconds: step } = comparison.thresholds;
      lines.push(`**Much slower** (at least ${ratio}x and ${step} s more than before)`, '');
      lines.push('| test | before | now | ratio |', '|---|---:|---:|---:|');
      lines.push(...cut(comparison.slower, (s) => `| ${code(s.id)} | ${seconds(s.previous)} | ${seconds(s.current)} | ${s.ratio.toFixed(2)}x |`));
      lines.push('');
    }
    if (comparison.fixed.length > 0) lines.push(`Fixed since the previous verification: ${comparison.fixed.length} test(s).`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
