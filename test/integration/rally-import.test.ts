/**
 * Debian's Rally 3.3.0 must accept our JSON report and agree with it: `rally task import` takes the
 * file (its schema is strict), `rally task sla-check --json` gives our SLA verdicts, and the statistics
 * Rally recomputes from our `data` on import equal ours.
 *
 * Rally runs with a temporary HOME (its own ~/.rally/rally.conf and SQLite DB), so the user's Rally
 * setup is never touched. Skipped when the `rally` CLI is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/common/json.js';
import type { AtomicAction, IterationResult, SlaResult } from '../../src/engine/types.js';
import { writeRallyJson } from '../../src/report/rally-json.js';
import { StatsAccumulator } from '../../src/report/stats.js';
import { taskPassedSla, type SubtaskRunRecord, type TaskRunRecord, type WorkloadRunRecord } from '../../src/report/types.js';
import { SlaChecker, slaPassed } from '../../src/sla/checker.js';
import '../../src/sla/failure-rate.js';
import '../../src/sla/max-seconds-per-iteration.js';
import '../../src/sla/max-avg-duration.js';
import '../../src/sla/max-avg-duration-per-atomic.js';
import '../../src/sla/outliers.js';
import '../../src/sla/performance-degradation.js';

const RALLY_CONF = '/etc/rally/rally.conf';

function rallyAvailable(): boolean {
  return spawnSync('rally', ['--version'], { stdio: 'ignore' }).status === 0 && existsSync(RALLY_CONF);
}

const haveRally = rallyAvailable();

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface WorkloadPlan {
  scenario: string;
  sla: Record<string, JsonValue>;
  iterations: IterationResult[];
}

/** Synthetic iterations with failures, nested and repeated atomic actions, errors outside actions, outputs. */
function makeIterations(count: number, seed: number, failureShare: number): IterationResult[] {
  const rand = random(seed);
  const start = 1_795_000_000.25;
  const iterations: IterationResult[] = [];
  for (let i = 0; i < count; i++) {
    const timestamp = start + i * 0.05 + rand() * 0.01;
    let clock = timestamp;
    const action = (name: string, seconds: number, children: AtomicAction[] = [], failed = false): AtomicAction => {
      const a: AtomicAction = { name, started_at: clock, finished_at: clock + seconds, children };
      if (failed) a.failed = true;
      clock += seconds;
      return a;
    };
    const fails = rand() < failureShare;
    const actions: AtomicAction[] = [action('create', 0.02 + rand() * 0.03, [action('create.inner', 0.01)])];
    if (i % 3 === 0) actions.push(action('poll', 0.005), action('poll', 0.004));
    const failInAction = fails && i % 2 === 0;
    actions.push(action('delete', 0.01 + rand() * 0.02, [], failInAction));
    const duration = clock - timestamp + (i === 17 ? 0.5 : 0);
    iterations.push({
      timestamp,
      duration,
      idle_duration: i % 4 === 0 ? 0.001 : 0,
      error: fails ? ['KeyError', `'failure ${i}'`, `Traceback (most recent call last):\nKeyError: 'failure ${i}'\n`] : [],
      output:
        i % 5 === 0
          ? { additive: [{ title: 'Stats', chart_plugin: 'StatsTable', data: [['foo', i], ['bar', 0.5]] }], complete: [] }
          : { additive: [], complete: [] },
      atomic_actions: actions,
    });
  }
  return iterations;
}

const PLANS: WorkloadPlan[] = [
  {
    scenario: 'Dummy.dummy',
    sla: {
      failure_rate: { max: 20 },
      max_seconds_per_iteration: 0.3,
      max_avg_duration: 0.1,
      max_avg_duration_per_atomic: { create: 0.05, delete: 0.015, never_ran: 1 },
      outliers: { max: 0, min_iterations: 5, sigmas: 2 },
      performance_degradation: { max_degradation: 400 },
    },
    iterations: makeIterations(60, 11, 0.15),
  },
  { scenario: 'Dummy.dummy_random_fail_in_atomic', sla: { failure_rate: { max: 0 } }, iterations: makeIterations(25, 5, 0.3) },
  { scenario: 'Dummy.dummy', sla: { failure_rate: { min: 0, max: 100 }, outliers: {} }, iterations: [] },
];

function buildRun(dir: string): TaskRunRecord {
  const subtasks: SubtaskRunRecord[] = PLANS.map((plan, subtaskIndex) => {
    const stats = new StatsAccumulator();
    const checker = new SlaChecker(plan.sla);
    for (const iteration of plan.iterations) {
      stats.onIteration(iteration);
      checker.onIteration(iteration);
    }
    const iterationsFile = join(dir, `workload-${subtaskIndex}.ndjson`);
    // completion order: not the timestamp order the report must have
    const completionOrder = [...plan.iterations].sort((a, b) => a.timestamp + a.duration - (b.timestamp + b.duration));
    writeFileSync(iterationsFile, completionOrder.map((it) => JSON.stringify(it) + '\n').join(''));
    const durations = plan.iterations.map((it) => it.duration);
    const slaResults = checker.results();
    const workload: WorkloadRunRecord = {
      config: {
        scenario: { [plan.scenario]: { sleep: 0 } },
        runner: { constant: { times: plan.iterations.length || 1, concurrency: 2 } },
        contexts: subtaskIndex === 0 ? { dummy_context: { fail_cleanup: true } } : {},
        sla: plan.sla,
        hooks:
          subtaskIndex === 0 ? [{ description: 'say hi', action: { sys_call: 'echo hi' }, trigger: { event: { unit: 'iteration', at: [5] } } }] : [],
      },
      description: 'Synthetic workload for the import test.',
      statistics: stats.statistics(),
      summary: {
        uuid: `0000000${subtaskIndex}-1111-2222-3333-444444444444`,
        subtaskIndex,
        position: 0,
        iterationsFile,
        totalIterationCount: plan.iterations.length,
        failedIterationCount: plan.iterations.filter((it) => it.error.length > 0).length,
        startTime: plan.iterations.length ? Math.min(...plan.iterations.map((it) => it.timestamp)) : null,
        loadDuration: plan.iterations.length
          ? Math.max(...plan.iterations.map((it) => it.timestamp + it.duration)) - Math.min(...plan.iterations.map((it) => it.timestamp))
          : 0,
        fullDuration: 4.5,
        minDuration: durations.length ? Math.min(...durations) : null,
        maxDuration: durations.length ? Math.max(...durations) : null,
        createdAt: '2026-11-21T10:00:00Z',
        updatedAt: '2026-11-21T10:00:05Z',
        contextsResults:
          subtaskIndex === 0
            ? [
                {
                  plugin_name: 'dummy_context@default',
                  plugin_cfg: { fail_cleanup: true },
                  setup: { started_at: 1_795_000_000.1, finished_at: 1_795_000_000.2, atomic_actions: [], error: null },
                  cleanup: {
                    started_at: 1_795_000_010.1,
                    finished_at: 1_795_000_010.2,
                    atomic_actions: [],
                    error: { etype: 'RuntimeError', msg: 'cleanup failed', traceback: 'Traceback...\n' },
                  },
                },
              ]
            : [],
        hooks:
          subtaskIndex === 0
            ? [
                {
                  config: { description: 'say hi', action: { sys_call: 'echo hi' }, trigger: { event: { unit: 'iteration', at: [5] } } },
                  results: [
                    {
                      status: 'success',
                      started_at: 1_795_000_001.5,
                      finished_at: 1_795_000_001.6,
                      triggered_by: { event_type: 'iteration', value: 5 },
                      output: {
                        additive: [],
                        complete: [{ title: 'System call', chart_plugin: 'TextArea', description: 'Args: echo hi', data: ['RetCode: 0'] }],
                      },
                    },
                  ],
                  summary: { success: 1 },
                },
              ]
            : [],
        slaResults,
        passSla: slaPassed(slaResults),
      },
    };
    return {
      uuid: `aaaaaaa${subtaskIndex}-1111-2222-3333-444444444444`,
      config: { title: plan.scenario, description: '', tags: [], workloads: [workload.config] },
      status: 'finished',
      createdAt: '2026-11-21T10:00:00Z',
      updatedAt: '2026-11-21T10:00:05Z',
      workloads: [workload],
    };
  });
  return {
    uuid: 'bbbbbbbb-1111-2222-3333-444444444444',
    task: { version: 2, title: 'import test', description: '', tags: [], subtasks: subtasks.map((s) => s.config) },
    title: 'import test',
    description: 'rally-gate report imported by Rally',
    tags: ['rally-gate'],
    envName: 'empty',
    envUuid: 'cccccccc-1111-2222-3333-444444444444',
    status: 'finished',
    createdAt: '2026-11-21T10:00:00Z',
    updatedAt: '2026-11-21T10:00:15Z',
    passSla: taskPassedSla(subtasks),
    subtasks,
  };
}

describe.skipIf(!haveRally)('Rally 3.3.0 imports our JSON report and agrees (needs the rally CLI)', () => {
  let home = '';
  let run: TaskRunRecord;
  let importedUuid = '';
  /** the same report without hooks: Rally 3.3.0 cannot re-export an imported workload that has hooks */
  let importedWithoutHooksUuid = '';

  const rally = (args: string[]): { status: number; stdout: string; stderr: string } => {
    const result = spawnSync('rally', args, { cwd: home, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'rally-gate-rally-home-'));
    mkdirSync(join(home, '.rally'));
    // Debian's config points at a broken DB path; a private copy with a DB inside the temp HOME.
    const conf = readFileSync(RALLY_CONF, 'utf8').replace(/^connection\s*=.*$/m, `connection=sqlite:///${join(home, 'rally.sqlite')}`);
    writeFileSync(join(home, '.rally', 'rally.conf'), conf);
    execFileSync('rally', ['db', 'create'], { cwd: home, env: { ...process.env, HOME: home }, stdio: 'ignore' });
    writeFileSync(join(home, 'empty-spec.json'), '{}');
    const env = rally(['env', 'create', '--name', 'empty', '--spec', join(home, 'empty-spec.json')]);
    expect(env.status, env.stderr).toBe(0);

    run = buildRun(home);
    const reportFile = join(home, 'ours.json');
    await writeRallyJson(run, reportFile);
    const imported = rally(['task', 'import', '--file', reportFile, '--deployment', 'empty']);
    expect(imported.status, imported.stdout + imported.stderr).toBe(0);
    importedUuid = /Task UUID: ([0-9a-f-]{36})/.exec(imported.stdout)?.[1] ?? '';
    expect(importedUuid).not.toBe('');

    // Rally's json exporter does dict([hook["config"]["action"]]), which only works on the tuple form
    // its engine stores, not on the dict form its own reports (and therefore imports) carry.
    const withoutHooks: TaskRunRecord = {
      ...run,
      subtasks: run.subtasks.map((s) => ({
        ...s,
        workloads: s.workloads.map((w) => ({ ...w, config: { ...w.config, hooks: [] }, summary: { ...w.summary, hooks: [] } })),
      })),
    };
    const withoutHooksFile = join(home, 'ours-without-hooks.json');
    await writeRallyJson(withoutHooks, withoutHooksFile);
    const importedAgain = rally(['task', 'import', '--file', withoutHooksFile, '--deployment', 'empty']);
    expect(importedAgain.status, importedAgain.stdout + importedAgain.stderr).toBe(0);
    importedWithoutHooksUuid = /Task UUID: ([0-9a-f-]{36})/.exec(importedAgain.stdout)?.[1] ?? '';
  }, 180_000);

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('sla-check gives our verdicts, and exits with the number of failed criteria', () => {
    const check = rally(['task', 'sla-check', '--json', importedUuid]);
    const rows = JSON.parse(check.stdout) as Array<{ criterion: string; detail: string; status: string; benchmark: string; pos: number }>;
    const ours = run.subtasks.flatMap((s) =>
      s.workloads.flatMap((w) =>
        [...w.summary.slaResults]
          .sort((a: SlaResult, b: SlaResult) => (a.criterion < b.criterion ? -1 : a.criterion > b.criterion ? 1 : 0))
          .map((r) => ({
            criterion: r.criterion,
            detail: r.detail,
            status: r.success ? 'PASS' : 'FAIL',
            benchmark: Object.keys(w.config.scenario)[0],
            pos: w.summary.position,
          })),
      ),
    );
    expect(rows).toEqual(ours);
    expect(check.status).toBe(ours.filter((r) => r.status === 'FAIL').length);
    // The synthetic data is built to exercise both outcomes.
    expect(ours.some((r) => r.status === 'FAIL')).toBe(true);
    expect(ours.some((r) => r.status === 'PASS')).toBe(true);
  });

  it("Rally's statistics recomputed from our data equal ours; counts and durations survive", () => {
    const backFile = join(home, 'back.json');
    const exported = rally(['task', 'report', '--uuid', importedWithoutHooksUuid, '--json', '--out', backFile]);
    expect(exported.status, exported.stdout).toBe(0);
    const back = JSON.parse(readFileSync(backFile, 'utf8'));
    const theirs = back.tasks[0].subtasks.flatMap((s: { workloads: unknown[] }) => s.workloads);
    const ours = run.subtasks.flatMap((s) => s.workloads);
    expect(theirs).toHaveLength(ours.length);
    ours.forEach((w, i) => {
      const t = theirs[i];
      expect(t.statistics).toEqual(w.statistics);
      expect(t.total_iteration_count).toBe(w.summary.totalIterationCount);
      expect(t.failed_iteration_count).toBe(w.summary.failedIterationCount);
      expect(t.pass_sla).toBe(w.summary.passSla);
      expect(t.min_duration).toBe(w.summary.minDuration);
      expect(t.max_duration).toBe(w.summary.maxDuration);
      expect(t.data).toHaveLength(w.summary.totalIterationCount);
    });
    expect(back.tasks[0].pass_sla).toBe(run.passSla);
  });
});

describe.skipIf(haveRally)('Rally import check', () => {
  it('skipped: the `rally` CLI (Debian package "rally") or /etc/rally/rally.conf is not installed', () => {});
});
