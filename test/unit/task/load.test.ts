/** loadTask end to end: the normalised task plus a way back to the file for any path in it. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { formatNormalized, loadTask } from '../../../src/task/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tasks', 'locate');

describe('loadTask', () => {
  it('maps normalised paths of a v1 task to the lines of the v1 file', async () => {
    const file = join(dir, 'v1.yaml');
    const task = await loadTask(file);
    const w = ['subtasks', 0, 'workloads', 0];
    expect(task.locate([...w, 'runner', 'constant', 'times'])).toEqual({ file, line: 8, column: 14 });
    expect(task.locate([...w, 'runner', 'constant'])).toMatchObject({ line: 7 }); // type: "constant"
    expect(task.locate([...w, 'scenario', 'Dummy.dummy'])).toMatchObject({ line: 2, column: 1 });
    expect(task.locate([...w, 'scenario', 'Dummy.dummy', 'sleep'])).toMatchObject({ line: 5 });
    expect(task.locate([...w, 'contexts', 'users', 'tenants'])).toMatchObject({ line: 12 });
    expect(task.locate([...w, 'sla', 'failure_rate', 'max'])).toMatchObject({ line: 15 });
    expect(task.locate([...w, 'hooks', 0, 'action', 'sys_call'])).toMatchObject({ line: 17 });
    expect(task.locate([...w, 'hooks', 0, 'trigger', 'event'])).toMatchObject({ line: 20 });
    expect(task.locate([...w, 'hooks', 0, 'trigger', 'event', 'at', 0])).toMatchObject({ line: 23 });
    expect(task.locate(['subtasks', 0, 'workloads', 1, 'runner', 'serial', 'times'])).toMatchObject({ line: 27 });
    // paths that do not exist in the file: the nearest one that does
    expect(task.locate(['subtasks', 0, 'workloads', 1, 'sla'])).toMatchObject({ line: 25 });
    expect(task.renderedNote?.([...w, 'runner', 'constant', 'times'])).toBeUndefined();
  });

  it('maps paths of a templated task through the template, including included files', async () => {
    const file = join(dir, 'templated.yaml');
    const task = await loadTask(file, { taskArgs: '{times: 5}' });
    expect(task.args).toEqual({ times: 5 });
    expect(task.config.subtasks.map((s) => s.title)).toEqual(['constant', 'serial', 'included']);
    expect(task.config.subtasks[1]?.workloads[0]?.runner).toEqual({ serial: { times: 10 } });
    // both loop iterations come from the loop body lines; the rendered text has other line numbers
    const times = ['subtasks', 1, 'workloads', 0, 'runner', 'serial', 'times'];
    expect(task.locate(times)).toMatchObject({ file, line: 13 });
    expect(task.renderedNote?.(times)).toBe('line 16 of the rendered task');
    const included = ['subtasks', 2, 'workloads', 0, 'runner', 'serial', 'times'];
    expect(task.locate(included)).toEqual({ file: join(dir, 'part.yaml'), line: 7, column: 20 });
    expect(task.renderedText).toContain('times: 10');
  });

  it('prints the normalised task as JSON', async () => {
    const task = await loadTask(join(dir, 'v1.yaml'));
    expect(JSON.parse(formatNormalized(task))).toEqual(task.config);
    expect(formatNormalized(task)).toContain('\n  "title": "Task (adopted from task format v1)"');
  });

  it('reports a missing task file as an input error', async () => {
    const missing = join(dir, 'nope.yaml');
    await expect(loadTask(missing)).rejects.toThrow(InputError);
    await expect(loadTask(missing)).rejects.toThrow('cannot read the task file: no such file');
  });
});
