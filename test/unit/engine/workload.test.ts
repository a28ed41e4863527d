import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import '../../../src/plugins/index.js';
import { InputError } from '../../../src/common/errors.js';
import type { IterationResult } from '../../../src/engine/types.js';
import { runWorkload, StopController } from '../../../src/engine/workload.js';
import { warmUpEngine } from '../../../src/engine/warmup.js';
import { run, tempPath, workloadConfig } from './helpers.js';
import { contextLog, resetTracker } from './test-plugins.js';

// The once-per-process JIT warm-up would otherwise fall inside the first timed test.
beforeAll(() => warmUpEngine());

beforeEach(() => {
  resetTracker();
  contextLog.length = 0;
});

describe('iteration records', () => {
  it('writes one IterationResult per line in completion order, with Rally\'s keys in Rally\'s order', async () => {
    const seen: IterationResult[] = [];
    const { summary, records } = await run(
      { scenario: 'Dummy.dummy', args: { sleep: 0.01 }, runner: { constant: { times: 6, concurrency: 3 } } },
      { sinks: [{ onIteration: (r) => seen.push(r) }] },
    );
    expect(records).toHaveLength(6);
    expect(JSON.parse(JSON.stringify(seen))).toEqual(records); // sinks see the same records, same order
    for (const record of records) {
      expect(Object.keys(record)).toEqual(['duration', 'timestamp', 'idle_duration', 'error', 'output', 'atomic_actions']);
      expect(Object.keys(record.atomic_actions[0]!)).toEqual(['name', 'children', 'started_at', 'finished_at']);
    }
    const ends = records.map((r) => r.timestamp + r.duration);
    for (let i = 1; i < ends.length; i++) expect(ends[i]!).toBeGreaterThanOrEqual(ends[i - 1]! - 1e-6);
    expect(summary.iterationsFile).toMatch(/\.ndjson$/);
  });

  it('summarises like Rally: load duration = max(timestamp + duration) - min(timestamp)', async () => {
    const { summary, records } = await run({ scenario: 'Dummy.dummy', args: { sleep: 0.01 }, runner: { constant: { times: 4, concurrency: 2 } } });
    const start = Math.min(...records.map((r) => r.timestamp));
    const end = Math.max(...records.map((r) => r.timestamp + r.duration));
    expect(summary.startTime).toBe(start);
    expect(summary.loadDuration).toBeCloseTo(end - start, 9);
    expect(summary.minDuration).toBe(Math.min(...records.map((r) => r.duration)));
    expect(summary.maxDuration).toBe(Math.max(...records.map((r) => r.duration)));
    expect(summary.fullDuration).toBeGreaterThanOrEqual(summary.loadDuration);
    expect(summary.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(summary).toMatchObject({ slaResults: [], passSla: true, runnerConfig: { times: 4, concurrency: 2 } });
    expect(summary.aborted).toBeUndefined();
  });

  it('timestamps are epoch seconds consistent with the wall clock', async () => {
    const before = Date.now() / 1000;
    const { records } = await run({ scenario: 'Dummy.dummy', runner: { serial: { times: 1 } } });
    expect(Math.abs(records[0]!.timestamp - before)).toBeLessThan(5);
  });

  it('marks a failed atomic action and its parents, not the ones that caught the error', async () => {
    const thrown = await run({ scenario: 'Test.atomics', args: { mode: 'thrown' }, runner: { serial: { times: 1 } } });
    const record = thrown.records[0]!;
    expect(record.error.slice(0, 2)).toEqual(['KeyError', "'boom'"]);
    expect(record.error[2]).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*KeyError: 'boom'\n$/);
    expect(record.atomic_actions).toMatchObject([{ name: 'outer', failed: true, children: [{ name: 'inner', failed: true }] }]);
    expect(record.atomic_actions[0]!.children).toHaveLength(1);

    const caught = (await run({ scenario: 'Test.atomics', args: { mode: 'caught' }, runner: { serial: { times: 1 } } })).records[0]!;
    expect(caught.error).toEqual([]);
    expect(caught.atomic_actions[0]!.failed).toBeUndefined();
    expect(caught.atomic_actions[0]!.children.map((c) => [c.name, c.failed])).toEqual([
      ['inner', true],
      ['after', undefined],
    ]);
  });

  it('nests by the deepest running action and keeps repeated names as separate actions', async () => {
    const record = (await run({ scenario: 'Test.atomics', args: { mode: 'sequence' }, runner: { serial: { times: 1 } } })).records[0]!;
    expect(record.atomic_actions.map((a) => [a.name, a.children.map((c) => c.name)])).toEqual([
      ['a', []],
      ['a', ['b', 'c']],
    ]);
    const [, second] = record.atomic_actions;
    expect(second!.started_at).toBeLessThanOrEqual(second!.children[0]!.started_at);
    expect(second!.children[1]!.finished_at).toBeLessThanOrEqual(second!.finished_at);
  });

  it('counts sleepBetween in idle_duration, not in duration', async () => {
    const record = (await run({ scenario: 'Test.idle', args: { busy: 0.02, idle: 0.03 }, runner: { serial: { times: 1 } } })).records[0]!;
    expect(record.idle_duration).toBeCloseTo(0.03, 9);
    expect(record.duration).toBeGreaterThanOrEqual(0.0195);
    expect(record.duration).toBeLessThan(0.045); // 0.05 if the idle sleep were counted
  });

  it('records outputs, and an invalid chart as a RallyException with Rally\'s message', async () => {
    const ok = (await run({ scenario: 'Test.output', runner: { serial: { times: 1 } } })).records[0]!;
    expect(ok.output).toEqual({ additive: [{ title: 't', chart_plugin: 'StatsTable', data: [['a', 1]] }], complete: [] });
    const bad = (
      await run({ scenario: 'Test.output', args: { chart: { title: 'x', chart_plugin: 'Pie' } }, runner: { serial: { times: 1 } } })
    ).records[0]!;
    expect(bad.error.slice(0, 2)).toEqual(['RallyException', "complete output missing key 'data'"]);
  });

  it('names plain Error throws "Exception" and records synchronous throws', async () => {
    const record = (await run({ scenario: 'Test.sync_throw', runner: { serial: { times: 1 } } })).records[0]!;
    expect(record.error.slice(0, 2)).toEqual(['Exception', 'plain error']);
  });

  it('gives deterministic random values with a seed', async () => {
    const once = async () =>
      (await run({ scenario: 'Dummy.dummy_output', runner: { serial: { times: 2 } } }, { randomSeed: 7 })).records.map((r) => r.output);
    expect(await once()).toEqual(await once());
  });

  it('throws InputError for a scenario or runner rally-gate does not have', async () => {
    await expect(run({ scenario: 'Nova.boot_server', runner: { serial: {} } })).rejects.toBeInstanceOf(InputError);
    await expect(run({ scenario: 'Dummy.dummy', runner: { nonsense: {} } })).rejects.toBeInstanceOf(InputError);
  });
});

describe('contexts', () => {
  it('sets up by order (defaults first, then the workload\'s), cleans up in reverse, records results', async () => {
    const { summary, records } = await run({
      scenario: 'Test.reads_context',
      runner: { serial: { times: 2 } },
      contexts: { test_ctx_a: { extra: 1 } },
    });
    expect(records.every((r) => r.error.length === 0)).toBe(true);
    expect(contextLog).toEqual(['setup:test_ctx_a', 'setup:test_ctx_b', 'cleanup:test_ctx_b', 'cleanup:test_ctx_a']);
    expect(summary.contextsResults.map((c) => [c.plugin_name, c.plugin_cfg])).toEqual([
      ['test_ctx_a@default', { flavour: 'plain', extra: 1 }],
      ['test_ctx_b@default', { flavour: 'plain', from: 'default' }],
    ]);
    const [a] = summary.contextsResults;
    expect(Object.keys(a!.setup)).toEqual(['started_at', 'finished_at', 'atomic_actions', 'error']);
    expect(a!.setup.atomic_actions.map((x) => x.name)).toEqual(['test_ctx_a.prepare']);
    expect(a!.cleanup.atomic_actions).toEqual([]);
    expect(a!.setup.finished_at).toBeLessThanOrEqual(summary.startTime!);
    expect(a!.cleanup.started_at).toBeGreaterThanOrEqual(summary.startTime! + summary.loadDuration - 1e-6);
  });

  it('on a failed setup: skips the load, cleans up every context whose setup started, reports the failure', async () => {
    const { summary, records } = await run({
      scenario: 'Dummy.dummy',
      runner: { constant: { times: 5 } },
      contexts: { test_ctx_a: { fail_setup: true }, test_ctx_b: {} },
    });
    expect(records).toEqual([]);
    expect(contextLog).toEqual(['setup:test_ctx_a', 'cleanup:test_ctx_a']);
    expect(summary.contextsResults).toHaveLength(1);
    expect(summary.contextsResults[0]!.setup.error).toMatchObject({ etype: 'RallyException', msg: 'test_ctx_a setup failed' });
    expect(summary.contextsResults[0]!.cleanup.error).toBeNull();
    expect(summary.unexpectedFailure).toMatchObject({ etype: 'RallyException', msg: 'test_ctx_a setup failed' });
    expect(summary.totalIterationCount).toBe(0);
    expect(summary.startTime).toBeNull();
    expect(summary.loadDuration).toBe(0);
  });

  it('records a failed cleanup without failing the workload, and still cleans up the others', async () => {
    const { summary } = await run({
      scenario: 'Dummy.dummy',
      runner: { serial: { times: 1 } },
      contexts: { test_ctx_a: {}, test_ctx_b: { fail_cleanup: true } },
    });
    expect(contextLog).toEqual(['setup:test_ctx_a', 'setup:test_ctx_b', 'cleanup:test_ctx_b', 'cleanup:test_ctx_a']);
    expect(summary.contextsResults[1]!.cleanup.error).toMatchObject({ etype: 'RallyException', msg: 'test_ctx_b cleanup failed' });
    expect(summary.unexpectedFailure).toBeUndefined();
    expect(summary.totalIterationCount).toBe(1);
  });
});

describe('stopping', () => {
  it('manual abort: stops launching, cancels stuck iterations after the grace period, cleans up', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { summary, records } = await run(
      { scenario: 'Test.hang', runner: { constant: { times: 100, concurrency: 3 } }, contexts: { test_ctx_a: {} } },
      { signal: controller.signal, abortGraceSeconds: 0.05 },
    );
    expect(summary.aborted).toBe('manual');
    expect(summary.totalIterationCount).toBe(3);
    expect(records.every((r) => r.error[0] === 'TaskAborted')).toBe(true);
    expect(records[0]!.duration).toBeGreaterThanOrEqual(0.045); // cancelled after the 0.05 s grace
    expect(contextLog).toEqual(['setup:test_ctx_a', 'cleanup:test_ctx_a']);
  });

  it('manual abort lets iterations that finish within the grace period end normally', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const { summary, records } = await run(
      { scenario: 'Dummy.dummy', args: { sleep: 0.05 }, runner: { constant: { times: 100, concurrency: 2 } } },
      { signal: controller.signal, abortGraceSeconds: 1 },
    );
    expect(summary.aborted).toBe('manual');
    expect(summary.totalIterationCount).toBe(2);
    expect(records.every((r) => r.error.length === 0)).toBe(true);
  });

  it('an already aborted signal runs nothing', async () => {
    const { summary } = await run(
      { scenario: 'Dummy.dummy', runner: { constant: { times: 10 } }, contexts: { test_ctx_a: {} } },
      { signal: AbortSignal.abort() },
    );
    expect(summary).toMatchObject({ aborted: 'manual', totalIterationCount: 0, contextsResults: [] });
  });

  it('a sink can stop the run (SLA): in-flight iterations finish normally', async () => {
    const stop = new StopController();
    let seen = 0;
    const { summary, records } = await run(
      { scenario: 'Dummy.dummy', args: { sleep: 0.01 }, runner: { constant: { times: 1000, concurrency: 4 } } },
      { stop, sinks: [{ onIteration: () => ++seen === 10 && stop.request('sla') }] },
    );
    expect(summary.aborted).toBe('sla');
    expect(summary.totalIterationCount).toBeGreaterThanOrEqual(10);
    // Sinks see finished iterations in a batch after the slots relaunched, so up to two rounds
    // of `concurrency` iterations may start after the 10th (Rally's consumer thread lags too).
    expect(summary.totalIterationCount).toBeLessThanOrEqual(10 + 2 * 4);
    expect(records.every((r) => r.error.length === 0)).toBe(true);
  });

  it('an rps run stops launching at once on request', async () => {
    const stop = new StopController();
    setTimeout(() => stop.request('sla'), 100);
    const { summary } = await run({ scenario: 'Dummy.dummy', runner: { rps: { times: 1000, rps: 50 } } }, { stop });
    expect(summary.aborted).toBe('sla');
    expect(summary.totalIterationCount).toBeGreaterThanOrEqual(3);
    expect(summary.totalIterationCount).toBeLessThanOrEqual(12);
  });

  it('a throwing sink stops the run, contexts are cleaned up, and the error is rethrown', async () => {
    const failing = run(
      { scenario: 'Dummy.dummy', runner: { constant: { times: 50 } }, contexts: { test_ctx_a: {} } },
      { sinks: [{ onIteration: () => { throw new Error('sink bug'); } }] },
    );
    await expect(failing).rejects.toThrow('sink bug');
    expect(contextLog).toEqual(['setup:test_ctx_a', 'cleanup:test_ctx_a']);
  });
});

describe('progress and files', () => {
  it('reports progress, throttled, and once at the end with the total', async () => {
    const calls: Array<[number, number | undefined]> = [];
    await run(
      { scenario: 'Dummy.dummy', args: { sleep: 0.01 }, runner: { constant: { times: 20, concurrency: 2 } } },
      { onProgress: (done, total) => calls.push([done, total]), progressIntervalMs: 30 },
    );
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThan(20);
    expect(calls[calls.length - 1]).toEqual([20, 20]);
  });

  it('creates the directory of the iterations file and truncates an old file', async () => {
    const file = tempPath('nested/dir/it.ndjson');
    const options = { uuid: 'u', taskUuid: 't', subtaskIndex: 0, position: 0, iterationsFile: file };
    await runWorkload({ ...options, workload: workloadConfig({ scenario: 'Dummy.dummy', runner: { serial: { times: 3 } } }) });
    await runWorkload({ ...options, workload: workloadConfig({ scenario: 'Dummy.dummy', runner: { serial: { times: 1 } } }) });
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });
});
