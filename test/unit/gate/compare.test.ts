import { describe, expect, it } from 'vitest';
import { compactDurations } from '../../../src/baseline/summarize.js';
import { BASELINE_FORMAT, type BaselineRun, type WorkloadBaseline } from '../../../src/baseline/types.js';
import { judge } from '../../../src/gate/compare.js';
import { defaultSettings, type GateSettings } from '../../../src/gate/settings.js';
import { seededRandom } from '../../../src/gate/stats.js';

const random = seededRandom(2026);
function durations(n: number, median: number): number[] {
  return Array.from({ length: n }, () => median * Math.exp(0.08 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

interface WorkloadSpec {
  hash?: string;
  scenario?: string;
  median?: number;
  actionMedian?: number;
  n?: number;
  failures?: number;
  sla?: { criterion: string; success: boolean; detail: string }[];
}

function workload(spec: WorkloadSpec): WorkloadBaseline {
  const n = spec.n ?? 30;
  const failures = spec.failures ?? 0;
  const total = durations(n - failures, spec.median ?? 0.2);
  return {
    hash: spec.hash ?? 'a'.repeat(32),
    task: 'task.yaml',
    subtask: 'sub',
    scenario: spec.scenario ?? 'Dummy.dummy',
    position: 0,
    total: { count: n, failures, durations: compactDurations(total) },
    actions: { step: { count: n - failures, failures: 0, durations: compactDurations(durations(n - failures, spec.actionMedian ?? 0.1)) } },
    sla: spec.sla ?? [{ criterion: 'failure_rate', success: true, detail: 'ok' }],
    passSla: (spec.sla ?? []).every((s) => s.success),
  };
}

function runOf(...workloads: WorkloadBaseline[]): BaselineRun {
  return { format: BASELINE_FORMAT, id: 'r', commit: 'c', branch: 'main', time: '2026-01-01T00:00:00Z', fingerprint: 'f', workloads };
}

const settings: GateSettings = defaultSettings('gate.yaml');
const baseline = (spec: WorkloadSpec = {}) => [0, 1, 2, 3].map(() => runOf(workload(spec)));

describe('judge', () => {
  it('no change when nothing changed; passes', () => {
    const j = judge(runOf(workload({})), baseline(), settings);
    expect(j.comparisons.map((c) => [c.action ?? 'total', c.kind])).toEqual([
      ['total', 'no-change'],
      ['step', 'no-change'],
    ]);
    expect(j.passed).toBe(true);
  });

  it('a 40% slower median is a regression with its interval, and fails the gate', () => {
    const j = judge(runOf(workload({ median: 0.28, actionMedian: 0.14 })), baseline(), settings);
    const total = j.comparisons[0]!;
    expect(total.kind).toBe('regression');
    expect(total.ratio).toBeGreaterThan(1.3);
    expect(total.interval![0]).toBeGreaterThan(1.15);
    expect(total.adjustedPValue).toBeLessThan(0.05);
    expect(j.comparisons[1]!.kind).toBe('regression');
    expect(j.passed).toBe(false);
  });

  it('a significant change under the practical threshold is no change', () => {
    const j = judge(runOf(workload({ median: 0.22 })), baseline(), { ...settings, defaults: { ...settings.defaults, regressionPercent: 30 } });
    expect(j.comparisons[0]!.kind).toBe('no-change');
  });

  it('a faster median is an improvement (does not fail)', () => {
    const j = judge(runOf(workload({ median: 0.12 })), baseline(), settings);
    expect(j.comparisons[0]!.kind).toBe('improvement');
    expect(j.passed).toBe(true);
  });

  it('not enough data: new workload config, too few iterations, too few baseline runs', () => {
    const j1 = judge(runOf(workload({ hash: 'b'.repeat(32) })), baseline(), settings);
    expect(j1.comparisons[0]).toMatchObject({ kind: 'not-enough-data', note: expect.stringContaining('no baseline run has this workload') });
    const j2 = judge(runOf(workload({ n: 5 })), baseline(), settings);
    expect(j2.comparisons[0]!.kind).toBe('not-enough-data');
    const strict = { ...settings, defaults: { ...settings.defaults, minBaselineRuns: 5 } };
    expect(judge(runOf(workload({ median: 0.5 })), baseline(), strict).comparisons[0]!.kind).toBe('not-enough-data');
    expect(judge(runOf(workload({ median: 0.5 })), baseline(), strict).passed).toBe(true);
  });

  it('waivers turn a regression into a reported, non-failing one; expired waivers are listed and not applied', () => {
    const waived: GateSettings = { ...settings, waivers: [{ match: { scenario: 'Dummy.dummy' }, reason: 'accepted' }] };
    const j = judge(runOf(workload({ median: 0.3, actionMedian: 0.15 })), baseline(), waived);
    expect(j.comparisons[0]!.kind).toBe('regression');
    expect(j.comparisons[0]!.waiver?.reason).toBe('accepted');
    expect(j.passed).toBe(true);
    const expired: GateSettings = { ...settings, waivers: [{ match: { scenario: 'Dummy.dummy' }, reason: 'old', expires: '2020-01-01' }] };
    const j2 = judge(runOf(workload({ median: 0.3 })), baseline(), expired, { today: '2026-01-01' });
    expect(j2.expiredWaivers).toHaveLength(1);
    expect(j2.passed).toBe(false);
  });

  it('flags failures the baseline never had, and SLA criteria that passed before and fail now', () => {
    const failing = [{ criterion: 'failure_rate', success: false, detail: 'Failure rate criteria 0.00% <= 3.33% <= 0.00% - Failed' }];
    const j = judge(runOf(workload({ failures: 1, sla: failing })), baseline(), settings);
    expect(j.failureChanges).toHaveLength(1);
    expect(j.failureChanges[0]).toMatchObject({ currentFailures: 1, currentCount: 30, baselinePercent: 0 });
    expect(j.slaChanges.map((s) => s.criterion)).toEqual(['failure_rate']);
    expect(j.slaFailures).toHaveLength(1);
    expect(j.passed).toBe(false);
  });

  it('a failure share that was already there must rise significantly to be flagged', () => {
    const noisy = baseline({ failures: 6 });
    expect(judge(runOf(workload({ failures: 8 })), noisy, settings).failureChanges).toEqual([]);
    expect(judge(runOf(workload({ failures: 20 })), noisy, settings).failureChanges).toHaveLength(1);
  });

  it('ignores what the settings say to ignore', () => {
    const ignoring: GateSettings = { ...settings, overrides: [{ match: { scenario: 'Dummy.dummy' }, thresholds: {}, actions: { step: { ignore: true } } }] };
    const j = judge(runOf(workload({})), baseline(), ignoring);
    expect(j.comparisons.map((c) => c.action ?? 'total')).toEqual(['total']);
  });
});
