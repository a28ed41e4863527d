import { describe, expect, it } from 'vitest';
import { workloadHash } from '../../../../src/baseline/hash.js';
import { compactDurations } from '../../../../src/baseline/summarize.js';
import { BASELINE_FORMAT, type BaselineRun, type WorkloadBaseline } from '../../../../src/baseline/types.js';
import { judge } from '../../../../src/gate/compare.js';
import { buildHtmlComparison, describeBaselineRuns, type ComparedTask } from '../../../../src/gate/html-comparison.js';
import { defaultSettings, type GateSettings } from '../../../../src/gate/settings.js';
import { seededRandom } from '../../../../src/gate/stats.js';
import { renderHtmlReport } from '../../../../src/report/html/index.js';
import type { WorkloadConfig } from '../../../../src/task/types.js';

const random = seededRandom(7);
function durations(n: number, median: number): number[] {
  return Array.from({ length: n }, () => median * Math.exp(0.05 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

function config(sleep: number): WorkloadConfig {
  return {
    scenario: { 'Dummy.dummy': { sleep } },
    runner: { constant: { times: 30, concurrency: 2 } },
    contexts: {},
    sla: {},
    hooks: [],
  } as unknown as WorkloadConfig;
}

const fast = config(0.1);
const slow = config(0.2);

function summary(cfg: WorkloadConfig, subtask: string, position: number, total: number, action: number, n = 30): WorkloadBaseline {
  return {
    hash: workloadHash(cfg),
    task: 'rally-jobs/t.yaml',
    subtask,
    scenario: 'Dummy.dummy',
    position,
    total: { count: n, failures: 0, durations: compactDurations(durations(n, total)) },
    actions: { 'dummy.sleep': { count: n, failures: 0, durations: compactDurations(durations(n, action)) } },
    sla: [],
    passSla: true,
  };
}

function run(commit: string, time: string, ...workloads: WorkloadBaseline[]): BaselineRun {
  return { format: BASELINE_FORMAT, id: `${time}-${commit}`, commit, branch: 'main', time, fingerprint: 'f', workloads };
}

// Task: subtask 0 has the fast workload, subtask 1 the slow one and a new one nobody measured before.
const task: ComparedTask = {
  file: 'rally-jobs/t.yaml',
  subtasks: [
    { workloads: [{ config: fast, summary: { subtaskIndex: 0, position: 0 } }] },
    { workloads: [{ config: slow, summary: { subtaskIndex: 1, position: 0 } }, { config: config(0.3), summary: { subtaskIndex: 1, position: 1 } }] },
  ],
};

const baselineRuns = ['aaaaaaa1', 'bbbbbbb2', 'ccccccc3'].map((commit, i) =>
  run(commit, `2026-01-0${i + 1}T00:00:00Z`, summary(fast, 'a', 0, 0.1, 0.09), summary(slow, 'b', 0, 0.2, 0.19)),
);
const settings: GateSettings = defaultSettings('gate.yaml');

describe('buildHtmlComparison', () => {
  const current = run('ddddddd4', '2026-01-04T00:00:00Z', summary(fast, 'a', 0, 0.1, 0.09), summary(slow, 'b', 0, 0.3, 0.29), summary(config(0.3), 'b', 1, 0.3, 0.29));
  const judgement = judge(current, baselineRuns, settings, { replicates: 400 });
  const comparison = buildHtmlComparison({ judgement, current, baselineRuns, tasks: [task] });

  it('labels the baseline and carries the gate verdict', () => {
    expect(comparison.baselineLabel).toBe('main@ccccccc, 3 runs');
    expect(comparison.verdict).toBe('fail');
    expect(describeBaselineRuns([])).toBe('no baseline runs');
  });

  it('maps every compared workload to its subtask index and position, total first', () => {
    expect(comparison.workloads.map((w) => [w.subtaskIndex, w.position])).toEqual([[0, 0], [1, 0], [1, 1]]);
    for (const w of comparison.workloads) expect(w.metrics.map((m) => m.name)).toEqual(['total', 'dummy.sleep']);
  });

  it('gives medians, relative change and interval, verdict and threshold note', () => {
    const [unchanged, regressed] = comparison.workloads;
    const total = unchanged!.metrics[0]!;
    expect(total.verdict).toBe('unchanged');
    expect(total.baseline).toBeCloseTo(0.1, 1);
    expect(total.note).toContain('threshold +15 %');
    const slower = regressed!.metrics[0]!;
    expect(slower.verdict).toBe('regression');
    expect(slower.change).toBeGreaterThan(0.4);
    expect(slower.change).toBeLessThan(0.6);
    expect(slower.interval![0]).toBeLessThan(slower.change!);
    expect(slower.interval![1]).toBeGreaterThan(slower.change!);
    expect(slower.current! / slower.baseline! - 1).toBeCloseTo(slower.change!, 6);
  });

  it('shows a new workload as not enough data, with the current median and no baseline', () => {
    const fresh = comparison.workloads[2]!.metrics[0]!;
    expect(fresh.verdict).toBe('not-enough-data');
    expect(fresh.baseline).toBeUndefined();
    expect(fresh.current).toBeCloseTo(0.3, 1);
    expect(fresh.note).toContain('no baseline run has this workload');
    expect(comparison.workloads[2]!.distributions).toBeUndefined();
  });

  it('carries both distributions: current durations and every baseline run pooled', () => {
    const d = comparison.workloads[1]!.distributions!;
    expect(d.current).toHaveLength(30);
    expect(d.baseline).toHaveLength(90);
  });

  it('marks waived regressions as waived, and leaves ignored workloads out', () => {
    const waived: GateSettings = { ...settings, waivers: [{ match: { subtask: 'b' }, reason: 'known <slow>' }] };
    const j = judge(current, baselineRuns, waived, { replicates: 400 });
    const c = buildHtmlComparison({ judgement: j, current, baselineRuns, tasks: [task] });
    expect(c.verdict).toBe('pass');
    expect(c.workloads[1]!.metrics[0]!.verdict).toBe('waived');
    expect(c.workloads[1]!.metrics[0]!.note).toContain('waived: known <slow>');

    const ignoring: GateSettings = { ...settings, overrides: [{ match: { subtask: 'a' }, thresholds: { ignore: true }, actions: {} }] };
    const k = buildHtmlComparison({ judgement: judge(current, baselineRuns, ignoring, { replicates: 400 }), current, baselineRuns, tasks: [task] });
    expect(k.workloads.map((w) => w.subtaskIndex)).toEqual([1, 1]);
  });

  it('numbers the tasks of a gate run: a second task file gets taskIndex 1', () => {
    const other = { ...summary(fast, 'a', 0, 0.1, 0.09), task: 'rally-jobs/other.yaml' };
    const twoTasks = { ...current, workloads: [...current.workloads, other] };
    const otherTask: ComparedTask = { file: 'rally-jobs/other.yaml', subtasks: [{ workloads: [{ config: fast, summary: { subtaskIndex: 0, position: 0 } }] }] };
    const c = buildHtmlComparison({ judgement: judge(twoTasks, baselineRuns, settings, { replicates: 400 }), current: twoTasks, baselineRuns, tasks: [task, otherTask] });
    expect(c.workloads.map((w) => [w.taskIndex ?? 0, w.subtaskIndex, w.position])).toEqual([[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 0, 0]]);
    // the second occurrence of the same config in one gate run is compared with the baseline's second: none
    expect(c.workloads[3]!.metrics[0]!.verdict).toBe('not-enough-data');
  });

  it('renders in the task report: a comparison table per workload and the overlaid distribution', async () => {
    const html = await renderHtmlReport(reportOf(), { comparison });
    expect(html.match(/data-section="baseline-comparison"/g)).toHaveLength(3);
    expect(html).toContain('not enough data');
    expect(html).toContain('▲ regression');
  });
});

/** A minimal loaded task with the three workloads (a few iterations each). */
function reportOf() {
  const workload = (cfg: WorkloadConfig, subtaskIndex: number, position: number) => ({
    config: cfg,
    description: '',
    summary: {
      uuid: `w${subtaskIndex}${position}`, subtaskIndex, position, passSla: true, slaResults: [], totalIterationCount: 2, failedIterationCount: 0,
      loadDuration: 1, fullDuration: 1.2, startTime: 1000, maxDuration: 0.2, minDuration: 0.1, hooks: [], contextsResults: [],
    },
    statistics: undefined,
    iterations: [0, 1].map((i) => ({ timestamp: 1000 + i, duration: 0.1 + i / 10, idle_duration: 0, error: [], output: { additive: [], complete: [] }, atomic_actions: [] })),
  });
  return {
    uuid: 't', task: {}, title: 'T', description: '', tags: [], envName: 'e', envUuid: 'u', status: 'finished', createdAt: '2026-01-04T00:00:00', updatedAt: '2026-01-04T00:00:00', passSla: true,
    subtasks: [
      { uuid: 's0', config: { title: 'a' }, status: 'finished', createdAt: '', updatedAt: '', workloads: [workload(fast, 0, 0)] },
      { uuid: 's1', config: { title: 'b' }, status: 'finished', createdAt: '', updatedAt: '', workloads: [workload(slow, 1, 0), workload(config(0.3), 1, 1)] },
    ],
  } as unknown as Parameters<typeof renderHtmlReport>[0];
}
