import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../src/plugins/index.js';
import { findPlugin } from '../../../src/plugins/registry.js';
import type { ScenarioPlugin } from '../../../src/engine/scenario.js';
import type { AtomicAction, IterationResult } from '../../../src/engine/types.js';
import { run } from '../engine/helpers.js';

const reportFile = join(__dirname, '../../../../shared/reference/rally-3.3.0/results/f-all-features.report.json');
const haveReport = existsSync(reportFile);

interface ReportWorkload {
  description: string;
  scenario: Record<string, Record<string, unknown>>;
  data: IterationResult[];
  contexts_results: unknown[];
}
function rallyWorkload(scenario: string): ReportWorkload {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    tasks: Array<{ subtasks: Array<{ workloads: ReportWorkload[] }> }>;
  };
  return report.tasks[0]!.subtasks.flatMap((s) => s.workloads).find((w) => Object.keys(w.scenario)[0] === scenario)!;
}

/** The shape of atomic actions: names, nesting and failed flags, no times. */
function shape(actions: AtomicAction[]): unknown {
  return actions.map((a) => ({ name: a.name, failed: a.failed ?? false, children: shape(a.children) }));
}
/** Structure of a value with numbers replaced, to compare outputs of random data. */
function skeleton(value: unknown): unknown {
  if (typeof value === 'number') return 0;
  if (Array.isArray(value)) return value.map(skeleton);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, skeleton(v)]));
  return value;
}

describe.skipIf(!haveReport)('Dummy scenarios compared with Rally 3.3.0 records (f-all-features)', () => {
  it('Dummy.dummy: foo > bar, same description, duration ~ sleep', async () => {
    const rally = rallyWorkload('Dummy.dummy');
    const { records } = await run({ scenario: 'Dummy.dummy', args: { sleep: 0.1 }, runner: { constant: { times: 3, concurrency: 3 } } });
    expect(findPlugin<ScenarioPlugin>('scenario', 'Dummy.dummy')!.description).toBe(rally.description);
    for (const record of records) {
      expect(shape(record.atomic_actions)).toEqual(shape(rally.data[0]!.atomic_actions));
      expect(Object.keys(record)).toEqual(Object.keys(rally.data[0]!));
      expect(record.duration).toBeGreaterThanOrEqual(0.1);
      expect(record.duration).toBeLessThan(0.2);
    }
  });

  it('Dummy.dummy_random_fail_in_atomic: the same action trees and KeyError as Rally', async () => {
    const rally = rallyWorkload('Dummy.dummy_random_fail_in_atomic');
    const { records } = await run(
      { scenario: 'Dummy.dummy_random_fail_in_atomic', args: { exception_probability: 0.3 }, runner: { serial: { times: 200 } } },
      { randomSeed: 1 },
    );
    const key = (r: IterationResult) => JSON.stringify([shape(r.atomic_actions), r.error.slice(0, 2)]);
    const rallyShapes = new Set(rally.data.map(key));
    const ours = new Set(records.map(key));
    for (const s of rallyShapes) expect(ours.has(s)).toBe(true);
    for (const s of ours) expect(rallyShapes.has(s)).toBe(true);
    expect(findPlugin<ScenarioPlugin>('scenario', 'Dummy.dummy_random_fail_in_atomic')!.description).toBe(rally.description);
  });

  it('Dummy.dummy_output: the same charts as Rally, with random numbers', async () => {
    const rally = rallyWorkload('Dummy.dummy_output');
    const { records } = await run({
      scenario: 'Dummy.dummy_output',
      args: { random_range: 25 },
      runner: { constant: { times: 10, concurrency: 2 } },
      contexts: { dummy_context: { fail_setup: false, fail_cleanup: false } },
    });
    for (const record of records) {
      expect(skeleton(record.output)).toEqual(skeleton(rally.data[0]!.output));
      const numbers = JSON.stringify(record.output).match(/(?<=[[,])\d+(?=[\],])/g)!.map(Number);
      expect(numbers.every((n) => n >= 0 && n <= 49)).toBe(true);
    }
    const stats = records.flatMap((r) => (r.output.additive[0]!.data as Array<[string, number]>).map(([, v]) => v));
    expect(Math.min(...stats)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...stats)).toBeLessThanOrEqual(25);
  });

  it('Dummy.dummy_random_action: action_0..n-1 sleeping in [sleep_min, sleep_max]', async () => {
    const rally = rallyWorkload('Dummy.dummy_random_action');
    const { records } = await run({
      scenario: 'Dummy.dummy_random_action',
      args: { actions_num: 3, sleep_min: 0.01, sleep_max: 0.05 },
      runner: { rps: { rps: 20, times: 4 } },
    });
    for (const record of records) {
      expect(shape(record.atomic_actions)).toEqual(shape(rally.data[0]!.atomic_actions));
      for (const action of record.atomic_actions) {
        expect(action.finished_at - action.started_at).toBeGreaterThanOrEqual(0.0099);
        expect(action.finished_at - action.started_at).toBeLessThan(0.1);
      }
    }
  });

  it('dummy_context: Rally\'s contexts_results shape', async () => {
    const rally = rallyWorkload('Dummy.dummy_output');
    const { summary } = await run({
      scenario: 'Dummy.dummy_output',
      runner: { serial: { times: 1 } },
      contexts: { dummy_context: { fail_setup: false, fail_cleanup: false } },
    });
    expect(skeleton(summary.contextsResults)).toEqual(skeleton(rally.contexts_results));
  });
});

describe('Dummy scenarios: errors and args', () => {
  it('Dummy.dummy_exception raises DummyScenarioException with the message or M x size', async () => {
    const sized = (await run({ scenario: 'Dummy.dummy_exception', args: { size_of_message: 5, sleep: 0 }, runner: { serial: {} } })).records[0]!;
    expect(sized.error.slice(0, 2)).toEqual(['DummyScenarioException', "Dummy scenario expected exception: 'MMMMM'"]);
    const given = (await run({ scenario: 'Dummy.dummy_exception', args: { message: 'hi', sleep: 0.01 }, runner: { serial: {} } })).records[0]!;
    expect(given.error[1]).toBe("Dummy scenario expected exception: 'hi'");
    expect(given.duration).toBeGreaterThanOrEqual(0.0099);
  });

  it('Dummy.dummy_exception validates size_of_message like Rally\'s number validator', () => {
    const plugin = findPlugin<ScenarioPlugin>('scenario', 'Dummy.dummy_exception')!;
    expect(plugin.validateConfig!({ size_of_message: 0 })).toEqual([
      { path: ['size_of_message'], message: 'size_of_message is 0 which is less than the minimum (1)' },
    ]);
    expect(plugin.validateConfig!({ size_of_message: 1.5 })[0]!.message).toBe('size_of_message is 1.5 which hasn\'t int type');
    expect(plugin.validateConfig!({})).toEqual([]);
  });

  it('Dummy.dummy_exception_probability fails with the given probability', async () => {
    const { records } = await run(
      { scenario: 'Dummy.dummy_exception_probability', args: { exception_probability: 0.5 }, runner: { serial: { times: 400 } } },
      { randomSeed: 3 },
    );
    const failed = records.filter((r) => r.error.length > 0);
    expect(failed.length).toBeGreaterThan(140);
    expect(failed.length).toBeLessThan(260);
    expect(failed[0]!.error.slice(0, 2)).toEqual([
      'DummyScenarioException',
      "Dummy scenario expected exception: 'Dummy Scenario Exception: Probability: 0.5'",
    ]);
    const plugin = findPlugin<ScenarioPlugin>('scenario', 'Dummy.dummy_exception_probability')!;
    expect(plugin.validateConfig!({ exception_probability: 2 })[0]!.message).toBe(
      'exception_probability is 2 which is greater than the maximum (1)',
    );
  });

  it('Dummy.failure fails every `each`-th iteration of its range (self-rally: 5..15 each 2 => 25%)', async () => {
    const { records, summary } = await run({
      scenario: 'Dummy.failure',
      args: { sleep: 0.001, from_iteration: 5, to_iteration: 15, each: 2 },
      runner: { constant: { times: 20, concurrency: 5 } },
    });
    expect(summary.failedIterationCount).toBe(5); // 6, 8, 10, 12, 14
    expect(records.find((r) => r.error.length)!.error.slice(0, 2)).toEqual([
      'DummyScenarioException',
      "Dummy scenario expected exception: 'Expected failure'",
    ]);
  });

  it('Dummy.dummy_timed_atomic_actions sleeps i * sleep_factor in action_i', async () => {
    const record = (
      await run({ scenario: 'Dummy.dummy_timed_atomic_actions', args: { number_of_actions: 3, sleep_factor: 0.01 }, runner: { serial: {} } })
    ).records[0]!;
    expect(record.atomic_actions.map((a) => a.name)).toEqual(['action_0', 'action_1', 'action_2']);
    const durations = record.atomic_actions.map((a) => a.finished_at - a.started_at);
    expect(durations[2]!).toBeGreaterThanOrEqual(0.0199);
    expect(durations[2]!).toBeLessThan(0.05);
  });

  it('dummy_context fails setup / cleanup on request with Rally\'s messages', async () => {
    const setup = (await run({ scenario: 'Dummy.dummy', runner: { serial: {} }, contexts: { dummy_context: { fail_setup: true } } })).summary;
    expect(setup.contextsResults[0]!.setup.error).toMatchObject({ etype: 'RallyException', msg: 'Oops...setup is failed' });
    expect(setup.totalIterationCount).toBe(0);
    const cleanup = (await run({ scenario: 'Dummy.dummy', runner: { serial: {} }, contexts: { dummy_context: { fail_cleanup: true } } })).summary;
    expect(cleanup.contextsResults[0]!.cleanup.error).toMatchObject({ etype: 'RallyException', msg: 'Oops...cleanup is failed' });
    expect(cleanup.totalIterationCount).toBe(1);
  });

  it('a negative sleep fails the iteration with ValueError like interruptable_sleep', async () => {
    const record = (await run({ scenario: 'Dummy.dummy', args: { sleep: -1 }, runner: { serial: {} } })).records[0]!;
    expect(record.error.slice(0, 2)).toEqual(['ValueError', 'sleep_time should be >= 0']);
    expect(shape(record.atomic_actions)).toEqual([{ name: 'foo', failed: true, children: [{ name: 'bar', failed: true, children: [] }] }]);
  });
});
