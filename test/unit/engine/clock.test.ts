import { describe, expect, it } from 'vitest';
import {
  DeadlineScheduler,
  epochSecondsAt,
  epochSecondsNow,
  isoSeconds,
  monotonicMs,
  preciseSleep,
  SleepInterrupted,
} from '../../../src/engine/clock.js';
import { validateOutput } from '../../../src/engine/charts.js';
import { AtomicRecorder } from '../../../src/engine/atomic.js';
import { WakeThread } from '../../../src/engine/wake-thread.js';

describe('clock', () => {
  it('derives epoch seconds from the monotonic clock through one anchor', () => {
    const mono = monotonicMs();
    expect(epochSecondsAt(mono + 1500) - epochSecondsAt(mono)).toBeCloseTo(1.5, 6);
    expect(Math.abs(epochSecondsNow() - Date.now() / 1000)).toBeLessThan(1);
    expect(isoSeconds(1795253766.8787644)).toBe('2026-11-21T09:36:06');
  });

  it('sleeps precisely (coarse timer, then polling), tolerant of a busy machine', async () => {
    const overshoots: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = monotonicMs();
      await preciseSleep(0.02);
      overshoots.push(monotonicMs() - start - 20);
    }
    expect(Math.min(...overshoots)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...overshoots)).toBeLessThan(1.5); // the best of 5 beats setTimeout's usual 1-2 ms
  });

  it('wakes precisely through the helper thread once it is up', async () => {
    WakeThread.get();
    for (let i = 0; i < 500 && !WakeThread.get()?.ready; i++) await new Promise((r) => setTimeout(r, 10));
    expect(WakeThread.get()?.ready).toBe(true);
    const overshoots: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = monotonicMs();
      await preciseSleep(0.01);
      overshoots.push(monotonicMs() - start - 10);
    }
    expect(Math.min(...overshoots)).toBeGreaterThanOrEqual(0);
    expect(Math.min(...overshoots)).toBeLessThan(1.5);
    const late: number[] = [];
    await new Promise<void>((resolve) => {
      const deadline = monotonicMs() + 5;
      WakeThread.get()!.wakeAt(deadline, () => {
        late.push(monotonicMs() - deadline);
        resolve();
      });
    });
    expect(late[0]!).toBeGreaterThanOrEqual(0);
  });

  it('interrupts a sleep on abort', async () => {
    const controller = new AbortController();
    const start = monotonicMs();
    setTimeout(() => controller.abort('stop'), 10);
    await expect(preciseSleep(5, controller.signal)).rejects.toBeInstanceOf(SleepInterrupted);
    expect(monotonicMs() - start).toBeLessThan(1000);
    await expect(preciseSleep(0, controller.signal)).rejects.toBeInstanceOf(SleepInterrupted);
  });

  it('fires callbacks in deadline order, skips cancelled ones', async () => {
    const scheduler = new DeadlineScheduler(2);
    const fired: string[] = [];
    const now = monotonicMs();
    scheduler.at(now + 30, () => fired.push('c'));
    scheduler.at(now + 10, () => fired.push('a'));
    const cancelled = scheduler.at(now + 15, () => fired.push('x'));
    scheduler.at(now + 20, () => fired.push('b'));
    cancelled.cancel();
    cancelled.cancel();
    expect(scheduler.pending).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(scheduler.pending).toBe(0);
  });

  it('keeps a heap of many deadlines consistent under random cancels', async () => {
    const scheduler = new DeadlineScheduler(0);
    const now = monotonicMs();
    const fired: number[] = [];
    const calls = Array.from({ length: 200 }, (_, i) => {
      const deadline = now + 5 + ((i * 37) % 40);
      return { deadline, call: scheduler.at(deadline, () => fired.push(deadline)) };
    });
    const kept = calls.filter((_, i) => i % 3 !== 0);
    calls.filter((_, i) => i % 3 === 0).forEach((c) => c.call.cancel());
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fired).toEqual(kept.map((c) => c.deadline).sort((a, b) => a - b));
  });
});

describe('atomic recorder', () => {
  it('freezes running actions as failed at the given time and ignores later finishes', async () => {
    const recorder = new AtomicRecorder();
    let release!: () => void;
    const pending = recorder.time('outer', () => recorder.time('inner', () => new Promise<void>((r) => (release = r))));
    recorder.freeze(123.5);
    release();
    await pending;
    expect(recorder.actions).toMatchObject([
      { name: 'outer', finished_at: 123.5, failed: true, children: [{ name: 'inner', finished_at: 123.5, failed: true }] },
    ]);
    await recorder.time('late', () => undefined);
    expect(recorder.actions).toHaveLength(1);
  });
});

describe('chart validation (Rally messages)', () => {
  it('accepts a valid chart and explains invalid ones', () => {
    expect(validateOutput('additive', { title: 'a', chart_plugin: 'Pie', data: [] })).toBeNull();
    expect(validateOutput('other', {})).toBe("unexpected output type: 'other', should be in ('additive', 'complete')");
    expect(validateOutput('additive', [])).toBe("additive output item has wrong type 'list', must be 'dict'");
    expect(validateOutput('complete', { title: 'a', chart_plugin: 'Pie' })).toBe("complete output missing key 'data'");
    expect(validateOutput('complete', { title: 'a', chart_plugin: 'Pie', data: [], x: 1 })).toBe(
      "complete output has unexpected key 'x'",
    );
    expect(validateOutput('complete', { title: 1, chart_plugin: 'Pie', data: [] })).toBe(
      "Value of complete output title has wrong type 'int', should be str",
    );
    expect(validateOutput('complete', { title: 'a', chart_plugin: 'Pie', data: 'x' })).toBe(
      "Value of complete output data has wrong type 'str', should be in ('list', 'dict')",
    );
  });
});
