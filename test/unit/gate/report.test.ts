import { describe, expect, it } from 'vitest';
import type { GateJudgement } from '../../../src/gate/compare.js';
import { escapeMarkdown, mergeJUnit, renderGateJUnitSuite, renderSummaryMarkdown, SUMMARY_MARKER } from '../../../src/gate/report.js';

const evil = 'X.y<img src=x onerror=alert(1)> [click](http://evil) @admin :x: | ** `code`\n# heading';
const workload = { hash: 'a'.repeat(32), task: 't.yaml', subtask: evil, scenario: evil, position: 0 };

const judgement: GateJudgement = {
  comparisons: [
    {
      workload,
      kind: 'regression',
      ratio: 1.4,
      interval: [1.2, 1.6],
      pValue: 0.0001,
      adjustedPValue: 0.0002,
      baselineMedian: 0.2,
      currentMedian: 0.28,
      baselineRuns: 5,
      baselineSamples: 150,
      currentSamples: 30,
      thresholdPercent: 15,
      confidence: 0.95,
    },
    { workload, action: 'step', kind: 'not-enough-data', note: evil, baselineRuns: 0, baselineSamples: 0, currentSamples: 30, thresholdPercent: 15, confidence: 0.95 },
  ],
  failureChanges: [],
  slaChanges: [],
  slaFailures: [{ workload, criterion: 'failure_rate', detail: evil }],
  expiredWaivers: [],
  baselineRuns: 5,
  passed: false,
};

describe('gate reports', () => {
  it('escapes input so that it cannot inject markdown, HTML, mentions or emoji', () => {
    const text = escapeMarkdown(evil);
    expect(text).not.toMatch(/<img/);
    expect(text).not.toMatch(/(?<!\\)\[click/);
    expect(text).not.toMatch(/(?<!&#64;)@admin|^@/);
    expect(text).toContain('&#64;admin');
    expect(text).toContain('\\:x\\:');
    expect(text).toContain('\\|');
    expect(text).not.toContain('\n');
  });

  it('summary.md: marker, verdict line, table row with change and interval, collapsed details', () => {
    const md = renderSummaryMarkdown(judgement, { baseline: '5 runs', storeNote: 'not requested', links: [{ label: 'junit.xml', href: 'junit.xml' }] });
    const lines = md.split('\n');
    expect(lines[0]).toBe(SUMMARY_MARKER);
    expect(lines[1]).toMatch(/^:x: \*\*rally-gate: failed\*\*: 1 regression, 1 SLA failure/);
    expect(md).toContain('| 200 ms | 280 ms | +40.0% | +20.0% … +60.0% | :x: regression |');
    expect(md).toContain('<details><summary>Details</summary>');
    expect(md).not.toContain('<img');
    // every table row keeps its 7 cells: the input's "|" did not split a cell
    const row = lines.find((l) => l.includes('+40.0%'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(7);
  });

  it('JUnit: a case per comparison (regressions fail, not-enough-data skipped), merged under one root with summed counts', () => {
    const gate = renderGateJUnitSuite(judgement);
    expect(gate).toContain('name="rally-gate verdicts"');
    const task = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="3" failures="1" errors="0" skipped="0">\n  <testsuite name="t" tests="3"></testsuite>\n</testsuites>';
    const merged = mergeJUnit(task, gate);
    expect(merged).toMatch(/^<\?xml[^\n]*\n<testsuites tests="5" failures="2" errors="0" skipped="1">/);
    expect(merged.match(/<testsuite /g)).toHaveLength(2);
  });
});
