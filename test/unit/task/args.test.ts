/** Task args as `rally task start` builds them from --task-args-file and --task-args. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { PyFloat, pyStr } from '../../../src/task/jinja/py.js';
import { loadTaskArgs } from '../../../src/task/args.js';

const dir = mkdtempSync(join(tmpdir(), 'rally-gate-args-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function failure(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('loadTaskArgs', () => {
  it('merges the args file with --task-args, which wins', () => {
    const argsFile = file('args.yaml', 'times: 10\nimage: {name: cirros}\nratio: 1.0\n');
    const args = loadTaskArgs({ taskArgsFile: argsFile, taskArgs: '{"times": 20}' });
    expect(args.json).toEqual({ times: 20, image: { name: 'cirros' }, ratio: 1 });
    expect(args.template.ratio).toBeInstanceOf(PyFloat);
    // mappings print as JSON in templates, like Rally's OrderedDict
    expect(pyStr(args.template.image)).toBe('{"name": "cirros"}');
  });

  it('accepts JSON', () => {
    expect(loadTaskArgs({ taskArgs: '{"a": [1, 2], "b": null}' }).json).toEqual({ a: [1, 2], b: null });
  });

  it('reads k1=v1,k2=v2 when the value is not a YAML mapping, values stay strings', () => {
    expect(loadTaskArgs({ taskArgs: 'times=10,image=cirros' }).json).toEqual({ times: '10', image: 'cirros' });
    // exactly Rally's split: the space stays part of the key
    expect(loadTaskArgs({ taskArgs: 'a=1, b=2' }).json).toEqual({ a: '1', ' b': '2' });
    expect(loadTaskArgs({ taskArgs: 'a=b=c' }).json).toEqual({ a: 'b=c' });
  });

  it('no args at all is an empty mapping', () => {
    expect(loadTaskArgs({}).json).toEqual({});
    expect(loadTaskArgs({ taskArgs: '' }).json).toEqual({});
  });

  it('refuses --task-args that is neither a mapping nor k=v pairs', () => {
    expect(failure(() => loadTaskArgs({ taskArgs: 'hello' })).format()).toMatch(/^--task-args: --task-args has to be a YAML or JSON mapping/);
    expect(failure(() => loadTaskArgs({ taskArgs: '[1, 2]' })).message).toContain('got a list');
    expect(failure(() => loadTaskArgs({ taskArgs: '42' })).message).toContain('got a number');
    expect(failure(() => loadTaskArgs({ taskArgs: '{a: 1' })).location).toMatchObject({ file: '--task-args', line: 1 });
  });

  it('refuses an args file that is not a mapping, with its name and line', () => {
    const list = file('list.yaml', '- a\n- b\n');
    expect(failure(() => loadTaskArgs({ taskArgsFile: list })).format()).toBe(
      `${list}:1:1: --task-args-file must hold a mapping of argument names to values (e.g. "flavor: m1.tiny"), got a list`,
    );
    const empty = file('empty.yaml', '');
    expect(failure(() => loadTaskArgs({ taskArgsFile: empty })).message).toContain('got null');
    const broken = file('broken.yaml', 'a: 1\nb: [1\n');
    expect(failure(() => loadTaskArgs({ taskArgsFile: broken })).location).toMatchObject({ file: broken, line: 3 });
    const duplicated = file('dup.yaml', 'a: 1\na: 2\n');
    expect(failure(() => loadTaskArgs({ taskArgsFile: duplicated })).location).toMatchObject({ file: duplicated, line: 2, column: 1 });
    expect(failure(() => loadTaskArgs({ taskArgsFile: join(dir, 'missing.yaml') })).message).toContain('no such file');
  });
});
