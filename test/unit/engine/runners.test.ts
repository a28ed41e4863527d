import { beforeEach, describe, expect, it } from 'vitest';
import '../../../src/plugins/index.js';
import { findPlugin } from '../../../src/plugins/registry.js';
import type { RunnerPlugin } from '../../../src/engine/runner.js';
import { rpsLaunchOffset } from '../../../src/engine/runners/rps.js';
import { run } from './helpers.js';
import { resetTracker, tracker } from './test-plugins.js';

beforeEach(resetTracker);

const runner = (name: string): RunnerPlugin => findPlugin<RunnerPlugin>('runner', name)!;

describe('constant runner', () => {
  it('runs `times` iterations, numbered 1..times, never more than `concurrency` at once', async () => {
    const { summary, records } = await run({
      scenario: 'Test.track',
      args: { sleep: 0.005 },
      runner: { constant: { times: 40, concurrency: 4 } },
    });
    expect(summary.totalIterationCount).toBe(40);
    expect(records).toHaveLength(40);
    expect([...tracker.iterations].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(tracker.maxInFlight).toBe(4);
    expect(summary.failedIterationCount).toBe(0);
  });

  it('defaults to times 1, concurrency 1', async () => {
    const { summary } = await run({ scenario: 'Test.track', runner: { constant: {} } });
    expect(summary.totalIterationCount).toBe(1);
  });

  it('rejects concurrency > times with Rally\'s message, accepts max_cpu_count', () => {
    const constant = runner('constant');
    expect(constant.validateConfig!({ times: 2, concurrency: 3 })[0]?.message).toMatch(
      /^Parameter 'concurrency' means a number of parallel executions of iterations\./,
    );
    expect(constant.validateConfig!({ times: 3, concurrency: 3, max_cpu_count: 1 })).toEqual([]);
    expect(constant.validateConfig!({ concurrency: 2 })).toHaveLength(1); // times defaults to 1
  });

  it('times out a stuck iteration: ThreadTimeoutException, duration = timeout, open atomics failed', async () => {
    const { summary, records } = await run({ scenario: 'Test.hang', runner: { constant: { times: 2, concurrency: 2, timeout: 0.05 } } });
    expect(summary.totalIterationCount).toBe(2);
    expect(summary.failedIterationCount).toBe(2);
    for (const record of records) {
      expect(record.error[0]).toBe('ThreadTimeoutException');
      expect(record.error[1]).toBe('Iteration interrupted due to timeout.');
      expect(record.duration).toBeCloseTo(0.05, 9);
      const outer = record.atomic_actions[0]!;
      expect(outer).toMatchObject({ name: 'outer', failed: true, children: [{ name: 'inner', failed: true }] });
      expect(outer.finished_at - record.timestamp).toBeLessThanOrEqual(0.05 + 1e-6);
    }
  });
});

describe('constant_for_duration runner', () => {
  it('launches until `duration` has passed, then lets in-flight iterations finish', async () => {
    const { summary, byStart } = await run({
      scenario: 'Test.track',
      args: { sleep: 0.02 },
      runner: { constant_for_duration: { duration: 0.2, concurrency: 2 } },
    });
    // ideal: 2 slots x 10 iterations of 0.02 s; tolerate a loaded machine
    expect(summary.totalIterationCount).toBeGreaterThanOrEqual(10);
    expect(summary.totalIterationCount).toBeLessThanOrEqual(22);
    expect(tracker.maxInFlight).toBe(2);
    const lastStart = byStart[byStart.length - 1]!.timestamp - byStart[0]!.timestamp;
    expect(lastStart).toBeLessThan(0.2 + 0.02);
  });

  it('duration 0 runs one iteration per slot', async () => {
    const { summary } = await run({ scenario: 'Test.track', runner: { constant_for_duration: { duration: 0, concurrency: 3 } } });
    expect(summary.totalIterationCount).toBe(3);
  });

  it('has timeout 600 by default and no max_cpu_count in its schema', () => {
    const cfd = runner('constant_for_duration');
    expect(cfd.iterationTimeout({ duration: 1 })).toBe(600);
    expect((cfd.schema.properties as Record<string, unknown>).max_cpu_count).toBeUndefined();
    expect(cfd.plannedIterations({ duration: 1 })).toBeUndefined();
  });
});

describe('rps runner', () => {
  it('computes Rally\'s launch timeline for a constant rate', () => {
    expect(rpsLaunchOffset(20, 0)).toBe(0);
    expect(rpsLaunchOffset(20, 1)).toBeCloseTo(0.05, 12);
    expect(rpsLaunchOffset(20, 40)).toBeCloseTo(2, 12);
  });

  it('ramps like Rally: k / elapsed <= min(start + step * (elapsed / duration - 1), end)', () => {
    const ramp = { start: 10, end: 30, step: 5, duration: 2 };
    let previous = 0;
    for (let k = 1; k < 400; k++) {
      const e = rpsLaunchOffset(ramp, k);
      expect(e).toBeGreaterThan(previous);
      previous = e;
      const rate = Math.min(ramp.start + ramp.step * (e / ramp.duration - 1), ramp.end);
      expect(e * rate).toBeCloseTo(k, 6); // the earliest instant the condition holds
    }
    // far along the ramp, the rate is capped at `end`
    expect(rpsLaunchOffset(ramp, 1000) - rpsLaunchOffset(ramp, 999)).toBeCloseTo(1 / 30, 9);
  });

  it('starts iterations on the timeline, whatever their duration', async () => {
    const { summary, byStart } = await run({
      scenario: 'Test.track',
      args: { sleep: 0.03 },
      runner: { rps: { times: 30, rps: 100 } },
    });
    expect(summary.totalIterationCount).toBe(30);
    const t0 = byStart[0]!.timestamp;
    byStart.forEach((record, k) => expect(Math.abs(record.timestamp - t0 - k / 100)).toBeLessThan(0.04));
    // 0.03 s iterations launched every 0.01 s overlap
    expect(tracker.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('never exceeds max_concurrency', async () => {
    const { summary } = await run({
      scenario: 'Test.track',
      args: { sleep: 0.02 },
      runner: { rps: { times: 20, rps: 1000, max_concurrency: 3 } },
    });
    expect(summary.totalIterationCount).toBe(20);
    expect(tracker.maxInFlight).toBe(3);
  });

  it('validates the ramp like Rally', () => {
    const rps = runner('rps');
    expect(rps.validateConfig!({ times: 1, rps: { start: 5, end: 2, step: 1 } })).toEqual([
      { path: ['rps', 'end'], message: 'rps end value must not be less than rps start value.' },
    ]);
    expect(rps.validateConfig!({ times: 1, rps: 5 })).toEqual([]);
    expect(rps.iterationTimeout({ times: 1, rps: 5 })).toBe(0);
  });
});

describe('serial runner', () => {
  it('runs iterations one after another and accepts other runners\' keys', async () => {
    const { summary, byStart } = await run({
      scenario: 'Test.track',
      args: { sleep: 0.002 },
      runner: { serial: { times: 5, concurrency: 3 } },
    });
    expect(summary.totalIterationCount).toBe(5);
    expect(tracker.maxInFlight).toBe(1);
    for (let i = 1; i < byStart.length; i++) {
      expect(byStart[i]!.timestamp).toBeGreaterThanOrEqual(byStart[i - 1]!.timestamp + byStart[i - 1]!.duration - 1e-6);
    }
    expect((runner('serial').schema as { additionalProperties: boolean }).additionalProperties).toBe(true);
  });
});
