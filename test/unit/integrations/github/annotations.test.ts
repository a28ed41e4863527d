import { describe, expect, it } from 'vitest';
import type { Comparison, GateJudgement, WorkloadIdentity } from '../../../../src/gate/compare.js';
import type { GateWorkloadOutcome } from '../../../../src/gate/run-gate.js';
import { gateAnnotations } from '../../../../src/integrations/github/annotations.js';

const workload: WorkloadIdentity = { hash: 'abc', task: 'rally-jobs/nova.yaml', subtask: 'boot', scenario: 'NovaServers.boot_server', position: 0 };
const outcome: GateWorkloadOutcome = {
  task: 'rally-jobs/nova.yaml',
  subtask: 'boot',
  scenario: 'NovaServers.boot_server',
  position: 0,
  location: { file: '/repo/rally-jobs/nova.yaml', line: 14, column: 11 },
  passSla: true,
  iterations: 30,
  failures: 2,
  errors: [{ type: 'TimeoutException', message: 'server did not become ACTIVE', count: 2 }],
};
const regression = (waived: boolean): Comparison => ({
  workload,
  kind: 'regression',
  ratio: 1.3,
  interval: [1.2, 1.4],
  baselineRuns: 5,
  baselineSamples: 150,
  currentSamples: 30,
  thresholdPercent: 15,
  confidence: 0.95,
  ...(waived ? { waiver: { match: { scenario: 'NovaServers.boot_server' }, reason: 'known' } } : {}),
});
const judgement = (comparisons: Comparison[]): GateJudgement => ({
  comparisons,
  failureChanges: [{ workload, baselinePercent: 0, currentPercent: 6.7, currentFailures: 2, currentCount: 30 }],
  slaChanges: [],
  slaFailures: [],
  expiredWaivers: [],
  baselineRuns: 5,
  passed: false,
});

describe('gateAnnotations', () => {
  it('points at the workload line, relative to the workspace, with the change and the top error', () => {
    const [first, second] = gateAnnotations(judgement([regression(false)]), [outcome], '/repo');
    expect(first).toEqual({
      level: 'error',
      title: 'rally-gate: regression',
      message: 'NovaServers.boot_server[0] (boot): median +30.0% (interval +20.0% .. +40.0%) against 5 baseline run(s), threshold 15%',
      file: 'rally-jobs/nova.yaml',
      line: 14,
      column: 11,
    });
    expect(second!.title).toBe('rally-gate: new failures');
    expect(second!.message).toContain('most frequent: TimeoutException: server did not become ACTIVE');
  });

  it('waived regressions are warnings, after the errors; files outside the workspace keep no position', () => {
    const annotations = gateAnnotations(judgement([regression(true)]), [{ ...outcome, location: { file: '/elsewhere/nova.yaml', line: 3 } }], '/repo');
    expect(annotations.map((a) => a.level)).toEqual(['error', 'warning']);
    expect(annotations[1]!.title).toBe('rally-gate: waived regression');
    expect(annotations[1]!.file).toBeUndefined();
  });
});
