import { describe, expect, it } from 'vitest';
import { cloudFingerprint, rallyConfigString, workloadHash } from '../../../src/baseline/hash.js';
import type { WorkloadConfig } from '../../../src/task/types.js';

const workload: WorkloadConfig = {
  description: 'anything',
  scenario: { 'Dummy.dummy': { sleep: 0.05, flag: true, none: null, list: [3, 'a'] } },
  runner: { constant: { times: 10, concurrency: 2 } },
  contexts: { users: { tenants: 2 } },
  hooks: [{ action: { sys_call: 'echo hi' }, trigger: { event: { unit: 'iteration', at: [1, 5] } } }],
  sla: { failure_rate: { max: 0 } },
};

describe('workloadHash (Rally trends key)', () => {
  it('equals the md5 Rally 3.3.0 computes for the same workload', () => {
    // Computed with rally.task.processing.plot.Trends._make_hash over objects.Workload.to_task(...)
    // with the task and subtask descriptions removed, as Trends.add_result does.
    expect(workloadHash(workload)).toBe('bb5c5822f497b5cd69cf40dbbd547f68');
  });

  it('builds the same text as Rally _to_str', () => {
    const text = rallyConfigString({ b: [3, 'a', null], a: { y: true, x: 0.05 } });
    expect(text).toBe('a:x:0.05|y:True|b:3,None,a');
  });

  it('ignores descriptions and key order; any config change makes another workload', () => {
    const reworded = { ...workload, description: 'reworded' };
    expect(workloadHash(reworded)).toBe(workloadHash(workload));
    const slower = { ...workload, scenario: { 'Dummy.dummy': { sleep: 0.06, flag: true, none: null, list: [3, 'a'] } } };
    expect(workloadHash(slower)).not.toBe(workloadHash(workload));
    const moreTimes = { ...workload, runner: { constant: { concurrency: 2, times: 11 } } };
    expect(workloadHash(moreTimes)).not.toBe(workloadHash(workload));
  });
});

describe('cloudFingerprint', () => {
  it('is stable, order-free and ignores empty facts', () => {
    const a = cloudFingerprint({ keystone: '3.14', nova: '2.96', region: undefined });
    const b = cloudFingerprint({ nova: '2.96', keystone: '3.14', region: '' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(cloudFingerprint({ keystone: '3.15', nova: '2.96' })).not.toBe(a);
  });
});
