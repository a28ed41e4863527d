import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/common/json.js';
import type { IterationResult, SlaResult } from '../../../src/engine/types.js';
import { SlaChecker, slaPassed } from '../../../src/sla/checker.js';
import '../../../src/sla/failure-rate.js';
import '../../../src/sla/max-seconds-per-iteration.js';
import '../../../src/sla/max-avg-duration.js';
import '../../../src/sla/max-avg-duration-per-atomic.js';
import '../../../src/sla/outliers.js';
import '../../../src/sla/performance-degradation.js';

const REFERENCE = '/work/shared/reference/rally-3.3.0/results';

interface ReferenceWorkload {
  data: IterationResult[];
  sla: Record<string, JsonValue>;
  sla_results: { sla: SlaResult[] };
  pass_sla: boolean;
  scenario: Record<string, unknown>;
}

function referenceWorkloads(file: string): ReferenceWorkload[] {
  const report = JSON.parse(readFileSync(`${REFERENCE}/${file}`, 'utf8')) as {
    tasks: Array<{ subtasks: Array<{ workloads: ReferenceWorkload[] }> }>;
  };
  return report.tasks.flatMap((t) => t.subtasks.flatMap((s) => s.workloads));
}

function iteration(duration: number, extra: Partial<IterationResult> = {}): IterationResult {
  return {
    timestamp: 1_700_000_000,
    duration,
    idle_duration: 0,
    error: [],
    output: { additive: [], complete: [] },
    atomic_actions: [],
    ...extra,
  };
}

const failed: Partial<IterationResult> = { error: ['KeyError', "'x'", 'Traceback...'] };

function check(sla: Record<string, JsonValue>, iterations: IterationResult[]): SlaResult[] {
  const checker = new SlaChecker(sla);
  for (const it of iterations) checker.onIteration(it);
  return checker.results();
}

describe('SLA results match Rally 3.3.0 reports', () => {
  const files = [
    'd-sla-pass-fail-100.report.json',
    'f-all-features.report.json',
    'os1-authenticate-keystone-200x5.report.json',
    'os2-keystone-create-delete-user-100x5.report.json',
  ];
  for (const file of files) {
    referenceWorkloads(file).forEach((workload, index) => {
      it(`${file} workload ${index} (${Object.keys(workload.scenario)[0]})`, () => {
        const results = check(workload.sla, workload.data);
        expect(results).toEqual(workload.sla_results.sla);
        expect(slaPassed(results)).toBe(workload.pass_sla);
      });
    });
  }
});

describe('failure_rate', () => {
  it('counts every iteration and formats min <= rate <= max', () => {
    const its = [iteration(1), iteration(1, failed), iteration(1), iteration(1)];
    expect(check({ failure_rate: { max: 50 } }, its)).toEqual([
      { criterion: 'failure_rate', success: true, detail: 'Failure rate criteria 0.00% <= 25.00% <= 50.00% - Passed' },
    ]);
    expect(check({ failure_rate: { min: 30 } }, its)[0]?.detail).toBe(
      'Failure rate criteria 30.00% <= 25.00% <= 100.00% - Failed',
    );
  });
  it('passes with no iterations', () => {
    expect(check({ failure_rate: { max: 0 } }, [])[0]).toEqual({
      criterion: 'failure_rate',
      success: true,
      detail: 'Failure rate criteria 0.00% <= 0.00% <= 0.00% - Passed',
    });
  });
  it('rounds like Python: ties to even on the exact binary value', () => {
    // 1/8 = 12.5% exactly; 1/3 = 33.333..%
    const eight = [iteration(1, failed), ...Array.from({ length: 7 }, () => iteration(1))];
    expect(check({ failure_rate: { max: 100 } }, eight)[0]?.detail).toContain('<= 12.50% <=');
    const three = [iteration(1, failed), iteration(1), iteration(1)];
    expect(check({ failure_rate: { max: 100 } }, three)[0]?.detail).toContain('<= 33.33% <=');
  });
});

describe('max_seconds_per_iteration', () => {
  it('includes failed iterations', () => {
    expect(check({ max_seconds_per_iteration: 1 }, [iteration(0.5), iteration(1.234, failed)])[0]).toEqual({
      criterion: 'max_seconds_per_iteration',
      success: false,
      detail: 'Maximum seconds per iteration 1.23s <= 1.00s - Failed',
    });
  });
  it('reports 0.00s with no iterations', () => {
    expect(check({ max_seconds_per_iteration: 2.5 }, [])[0]?.detail).toBe(
      'Maximum seconds per iteration 0.00s <= 2.50s - Passed',
    );
  });
});

describe('max_avg_duration', () => {
  it('averages successful iterations only', () => {
    const results = check({ max_avg_duration: 1 }, [iteration(0.5), iteration(100, failed), iteration(1.5)]);
    expect(results[0]).toEqual({
      criterion: 'max_avg_duration',
      success: true,
      detail: 'Average duration of one iteration 1.00s <= 1.00s - Passed',
    });
  });
  it('is 0 when every iteration failed', () => {
    expect(check({ max_avg_duration: 0.1 }, [iteration(5, failed)])[0]?.detail).toBe(
      'Average duration of one iteration 0.00s <= 0.10s - Passed',
    );
  });
});

describe('max_avg_duration_per_atomic', () => {
  const action = (name: string, seconds: number) => ({ name, started_at: 10, finished_at: 10 + seconds, children: [] });
  it('averages every top-level occurrence of successful iterations; unseen actions count as 0', () => {
    const its = [
      iteration(1, { atomic_actions: [action('a', 0.1), action('a', 0.3)] }),
      iteration(1, { atomic_actions: [action('a', 0.2)] }),
      iteration(1, { ...failed, atomic_actions: [action('a', 9)] }),
    ];
    const [result] = check({ max_avg_duration_per_atomic: { a: 0.15, missing: 1 } }, its);
    expect(result).toEqual({
      criterion: 'max_avg_duration_per_atomic',
      success: false,
      detail:
        "Average duration of one iteration for atomic actions:\nAction: 'a'. 0.20s <= 0.15s\nAction: 'missing'. 0.00s <= 1.00s\nStatus: Failed",
    });
  });
  it('ignores nested actions', () => {
    const nested = { name: 'outer', started_at: 0, finished_at: 1, children: [action('inner', 5)] };
    expect(check({ max_avg_duration_per_atomic: { inner: 1 } }, [iteration(1, { atomic_actions: [nested] })])[0]?.success).toBe(
      true,
    );
  });
});

describe('outliers', () => {
  it('judges each iteration against the threshold of the ones before it, from min_iterations on', () => {
    const steady = [1, 1.01, 0.99, 1, 1.02, 0.98, 1, 1.01, 0.99, 1];
    const spike = [...steady.map((d) => iteration(d)), iteration(5)];
    expect(check({ outliers: { max: 0 } }, spike)[0]).toEqual({
      criterion: 'outliers',
      success: false,
      detail: 'Maximum number of outliers 1 <= 0 - Failed',
    });
    // The same spike before min_iterations is not judged.
    const early = [iteration(1), iteration(1.01), iteration(5), ...steady.map((d) => iteration(d))];
    expect(check({ outliers: { max: 0, min_iterations: 4 } }, early)[0]?.success).toBe(true);
  });
  it('is order dependent like Rally: the spike first is never an outlier', () => {
    const steady = [1, 1.01, 0.99, 1, 1.02, 0.98, 1, 1.01, 0.99, 1].map((d) => iteration(d));
    expect(check({ outliers: {} }, [iteration(5), ...steady])[0]?.detail).toBe(
      'Maximum number of outliers 0 <= 0 - Passed',
    );
  });
  it('skips failed iterations and treats a zero threshold as none', () => {
    const zeros = [0, 0, 0, 0].map((d) => iteration(d));
    expect(check({ outliers: {} }, [...zeros, iteration(1), iteration(99, failed)])[0]?.success).toBe(true);
  });
});

describe('performance_degradation', () => {
  it('is (max / min - 1) * 100 over successful iterations, formatted like format_float_to_str', () => {
    const results = check({ performance_degradation: { max_degradation: 50 } }, [
      iteration(1),
      iteration(1.25),
      iteration(10, failed),
    ]);
    expect(results[0]).toEqual({
      criterion: 'performance_degradation',
      success: true,
      detail: 'Current degradation: 25.0% - Passed',
    });
  });
  it('is 0.0% with no successful iteration', () => {
    expect(check({ performance_degradation: { max_degradation: 0 } }, [iteration(1, failed)])[0]?.detail).toBe(
      'Current degradation: 0.0% - Passed',
    );
  });
});

describe('SlaChecker', () => {
  it('keeps config order and appends Rally extra criteria in Rally order', () => {
    const checker = new SlaChecker({ max_avg_duration: 1, failure_rate: { max: 0 } });
    checker.onIteration(iteration(0.5));
    expect(
      checker.results({ crashed: new Error('boom'), abortedManually: true, abortedOnSla: true }).map((r) => [r.criterion, r.success, r.detail]),
    ).toEqual([
      ['max_avg_duration', true, 'Average duration of one iteration 0.50s <= 1.00s - Passed'],
      ['failure_rate', true, 'Failure rate criteria 0.00% <= 0.00% <= 0.00% - Passed'],
      ['aborted_on_sla', false, 'Task was aborted due to SLA failure(s).'],
      ['aborted_manually', false, 'Task was aborted due to abort signal.'],
      ['something_went_wrong', false, 'Unexpected error: boom'],
    ]);
  });

  it('reports failing as soon as the latest iteration leaves a criterion failing, and recovers like Rally', () => {
    const checker = new SlaChecker({ max_avg_duration: 1 });
    expect(checker.failing).toBe(false);
    checker.onIteration(iteration(3));
    expect(checker.failing).toBe(true);
    checker.onIteration(iteration(0));
    checker.onIteration(iteration(0));
    expect(checker.failing).toBe(false);
  });

  it('rejects an unknown criterion', () => {
    expect(() => new SlaChecker({ max_failure_percent: 0 })).toThrow(/unknown SLA criterion "max_failure_percent"/);
  });

  it('passes with no criteria', () => {
    const checker = new SlaChecker({});
    checker.onIteration(iteration(1, failed));
    expect(checker.failing).toBe(false);
    expect(checker.results()).toEqual([]);
  });
});
