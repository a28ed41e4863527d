import { describe, expect, it } from 'vitest';
import '../../../src/plugins/index.js';
import { findPlugin } from '../../../src/plugins/registry.js';
import { runHookAction, type HookActionPlugin, type HookTriggerPlugin } from '../../../src/engine/hook.js';
import { shlexSplit } from '../../../src/engine/shlex.js';
import type { HookConfig } from '../../../src/task/types.js';
import { run } from './helpers.js';

const sysCall = findPlugin<HookActionPlugin>('hook', 'sys_call')!;
const trigger = (name: string) => findPlugin<HookTriggerPlugin>('trigger', name)!;
const callOnce = (command: string) => runHookAction(sysCall, command, process.cwd(), { event_type: 'iteration', value: 1 });

describe('shlex split', () => {
  it('splits like Python shlex.split', () => {
    expect(shlexSplit('a "b\\"c" d')).toEqual(['a', 'b"c', 'd']);
    expect(shlexSplit('x\\ y')).toEqual(['x y']);
    expect(shlexSplit('a"b"c')).toEqual(['abc']);
    expect(shlexSplit("'\\n'")).toEqual(['\\n']);
    expect(shlexSplit('"a\\nb"')).toEqual(['a\\nb']);
    expect(shlexSplit('a "" b')).toEqual(['a', '', 'b']);
    expect(shlexSplit("a '' b")).toEqual(['a', '', 'b']);
    expect(shlexSplit('a\\\\b')).toEqual(['a\\b']);
    expect(shlexSplit('  date +%Y-%m-%dT%H:%M:%S  ')).toEqual(['date', '+%Y-%m-%dT%H:%M:%S']);
  });

  it('fails with Python\'s messages', () => {
    expect(() => shlexSplit('"abc')).toThrow('No closing quotation');
    expect(() => shlexSplit("'abc")).toThrow('No closing quotation');
    expect(() => shlexSplit('abc\\')).toThrow('No escaped character');
    expect(() => shlexSplit('"abc\\')).toThrow('No escaped character');
  });
});

describe('triggers', () => {
  it('event fires at the listed values of its unit', () => {
    const event = trigger('event');
    const config = { unit: 'iteration', at: [2, 5] };
    expect(event.listensTo(config)).toBe('iteration');
    expect([1, 2, 3, 4, 5, 6].filter((v) => event.fires(config, v))).toEqual([2, 5]);
    expect(event.listensTo({ unit: 'time', at: [0] })).toBe('time');
  });

  it('periodic fires when start <= v <= end and (v - start) % step == 0, with Rally\'s defaults', () => {
    const periodic = trigger('periodic');
    const fired = (config: Record<string, unknown>, upTo: number) =>
      Array.from({ length: upTo + 1 }, (_, v) => v).filter((v) => periodic.fires(config as never, v));
    expect(fired({ unit: 'iteration', step: 2, start: 4, end: 8 }, 12)).toEqual([4, 6, 8]);
    expect(fired({ unit: 'iteration', step: 3 }, 10)).toEqual([1, 4, 7, 10]);
    expect(fired({ unit: 'time', step: 3 }, 10)).toEqual([0, 3, 6, 9]);
  });
});

describe('sys_call', () => {
  it('keeps plain output as a TextArea chart', async () => {
    const result = await callOnce('echo hello-from-hook');
    expect(result).toMatchObject({
      status: 'success',
      triggered_by: { event_type: 'iteration', value: 1 },
      output: {
        additive: [],
        complete: [
          {
            title: 'System call',
            chart_plugin: 'TextArea',
            description: 'Args: echo hello-from-hook',
            data: ['RetCode: 0', 'StdOut: hello-from-hook\n', 'StdErr: (empty)'],
          },
        ],
      },
    });
    expect(Object.keys(result)).toEqual(['status', 'started_at', 'finished_at', 'triggered_by', 'output']);
    expect(result.finished_at).toBeGreaterThanOrEqual(result.started_at);
  });

  it('fails on a non-zero exit with stderr as details', async () => {
    const result = await callOnce("sh -c 'echo out; echo err >&2; exit 3'");
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ etype: 'n/a', msg: 'Subprocess returned 3', details: 'err\n' });
    expect(Object.keys(result)).toEqual(['status', 'started_at', 'finished_at', 'triggered_by', 'error', 'output']);
    expect((result.output!.complete[0]!.data as string[])[0]).toBe('RetCode: 3');
  });

  it('uses stdout as details when stderr is empty', async () => {
    const result = await callOnce("sh -c 'echo only-out; exit 1'");
    expect(result.error?.details).toBe('stdout: only-out\n');
  });

  it('adds JSON charts from stdout', async () => {
    const charts = { additive: [{ title: 'a', chart_plugin: 'StatsTable', data: [['x', 1]] }], complete: [] };
    const result = await callOnce(`echo '${JSON.stringify(charts)}'`);
    expect(result.status).toBe('success');
    expect(result.output).toEqual(charts);
  });

  it('falls back to TextArea after the valid charts when a chart is invalid', async () => {
    const charts = { complete: [{ title: 'ok', chart_plugin: 'Pie', data: [] }, { title: 'bad' }] };
    const result = await callOnce(`echo '${JSON.stringify(charts)}'`);
    expect(result.output!.complete.map((c) => c.title)).toEqual(['ok', 'System call']);
  });

  it('reports a missing command and a bad quote like Python', async () => {
    const missing = await callOnce('/nonexistent/cmd arg');
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatchObject({ etype: 'FileNotFoundError', msg: "[Errno 2] No such file or directory: '/nonexistent/cmd'" });
    expect(missing.output).toBeUndefined();
    const quote = await callOnce('echo "unclosed');
    expect(quote.error).toMatchObject({ etype: 'ValueError', msg: 'No closing quotation' });
  });

  it('JSON that is not an object fails like Python\'s AttributeError', async () => {
    const result = await callOnce('echo 5');
    expect(result.error).toMatchObject({ etype: 'AttributeError', msg: "'int' object has no attribute 'get'" });
  });

  it('runs in the given working directory', async () => {
    const result = await runHookAction(sysCall, 'pwd', '/tmp', { event_type: 'time', value: 0 });
    expect((result.output!.complete[0]!.data as string[])[1]).toBe('StdOut: /tmp\n');
  });
});

describe('hooks in a workload', () => {
  const hook = (description: string, command: string, trig: Record<string, unknown>): HookConfig => ({
    description,
    action: { sys_call: command },
    trigger: trig as HookConfig['trigger'],
  });

  it('fires on iteration starts and on seconds since the first iteration, grouped by event type', async () => {
    const { summary } = await run({
      scenario: 'Dummy.dummy',
      args: { sleep: 0.1 },
      runner: { constant: { times: 14, concurrency: 1 } },
      hooks: [
        hook('time', 'true', { event: { unit: 'time', at: [0, 1] } }),
        hook('iterations', 'true', { event: { unit: 'iteration', at: [2, 5, 99] } }),
        hook('periodic', 'false', { periodic: { unit: 'iteration', step: 5 } }),
        hook('never', 'true', { periodic: { unit: 'time', step: 1, start: 10 } }),
      ],
    });
    expect(summary.hooks.map((h) => h.config.description)).toEqual(['time', 'never', 'iterations', 'periodic']);
    const [time, never, iterations, periodic] = summary.hooks;
    expect(time!.results.map((r) => r.triggered_by)).toEqual([
      { event_type: 'time', value: 0 },
      { event_type: 'time', value: 1 },
    ]);
    expect(time!.results[1]!.started_at - time!.results[0]!.started_at).toBeGreaterThan(0.9);
    expect(time!.results[1]!.started_at - time!.results[0]!.started_at).toBeLessThan(1.2);
    expect(time!.results[0]!.started_at - summary.startTime!).toBeLessThan(0.1);
    expect(never).toMatchObject({ results: [], summary: {} });
    expect(iterations!.results.map((r) => r.triggered_by.value)).toEqual([2, 5]);
    expect(iterations!.summary).toEqual({ success: 2 });
    expect(periodic!.results.map((r) => r.triggered_by.value)).toEqual([1, 6, 11]);
    expect(periodic!.summary).toEqual({ failed: 3 });
    expect(time!.config).toEqual({ action: { sys_call: 'true' }, trigger: { event: { unit: 'time', at: [0, 1] } }, description: 'time' });
  });

  it('does not delay the load while a hook runs', async () => {
    const { byStart } = await run({
      scenario: 'Dummy.dummy',
      args: { sleep: 0.01 },
      runner: { serial: { times: 5 } },
      hooks: [hook('slow', 'sleep 0.5', { event: { unit: 'iteration', at: [1] } })],
    });
    const span = byStart[4]!.timestamp - byStart[0]!.timestamp;
    expect(span).toBeLessThan(0.3);
  });
});
