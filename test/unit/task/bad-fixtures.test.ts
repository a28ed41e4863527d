/**
 * Every malformed task file / task args case in test/fixtures/bad/cases.json gives exactly one
 * clear error (or a small list): one line naming the file, the line and (where it applies) the
 * task path, without a stack trace.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTaskPath, InputError, InputErrors } from '../../../src/common/errors.js';
import { isJsonObject } from '../../../src/common/json.js';
import { registerPlugin } from '../../../src/plugins/registry.js';
import { loadTask, validateTask } from '../../../src/task/index.js';

const badDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'bad');

interface BadCase {
  file: string;
  stage: 'load' | 'validate';
  expect: string;
  line?: number;
  errorFile?: string;
  path?: string;
  taskArgs?: string;
  taskArgsFile?: string;
  needsPlugins?: string[];
}

const cases = JSON.parse(readFileSync(join(badDir, 'cases.json'), 'utf8')) as BadCase[];

// Minimal stand-ins with Rally's schemas and wording, so that these tests do not depend on the
// real plugins (written elsewhere) being registered.
const intAtLeastOne = { type: 'integer', minimum: 1 };
registerPlugin({
  kind: 'runner',
  name: 'constant',
  schema: {
    type: 'object',
    properties: { times: intAtLeastOne, concurrency: intAtLeastOne, timeout: { type: 'number' }, max_cpu_count: intAtLeastOne },
    additionalProperties: false,
  },
  validateConfig(config) {
    if (!isJsonObject(config)) return [];
    const times = typeof config.times === 'number' ? config.times : 1;
    const concurrency = typeof config.concurrency === 'number' ? config.concurrency : 1;
    if (concurrency <= times) return [];
    return [
      {
        path: ['concurrency'],
        message:
          "Parameter 'concurrency' means a number of parallel executions of iterations. Parameter 'times' means total " +
          'number of iteration executions. It is redundant (and restricted) to have number of parallel iterations bigger ' +
          'then total number of iterations.',
      },
    ];
  },
});
registerPlugin({
  kind: 'runner',
  name: 'rps',
  schema: {
    type: 'object',
    properties: {
      times: intAtLeastOne,
      rps: {
        anyOf: [
          { type: 'number', exclusiveMinimum: true, minimum: 0 }, // draft-04 style, as Rally writes it
          { type: 'object', properties: { start: { type: 'number' }, end: { type: 'number' }, step: { type: 'number' } } },
        ],
      },
    },
    required: ['times', 'rps'],
  },
});
registerPlugin({ kind: 'scenario', name: 'Dummy.dummy', schema: { type: 'object' } });

function errorsOf(failure: unknown): InputError[] {
  if (failure instanceof InputErrors) return failure.errors;
  if (failure instanceof InputError) return [failure];
  throw failure;
}

async function run(c: BadCase): Promise<{ stage: 'load' | 'validate'; errors: InputError[] }> {
  const options = {
    ...(c.taskArgs !== undefined ? { taskArgs: c.taskArgs } : {}),
    ...(c.taskArgsFile !== undefined ? { taskArgsFile: join(badDir, c.taskArgsFile) } : {}),
  };
  let task;
  try {
    task = await loadTask(join(badDir, c.file), options);
  } catch (failure) {
    return { stage: 'load', errors: errorsOf(failure) };
  }
  return { stage: 'validate', errors: validateTask(task).errors };
}

describe('malformed task files give one clear error', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    const label = `${c.file}${c.taskArgs !== undefined ? ` --task-args '${c.taskArgs}'` : ''}${c.taskArgsFile ? ` --task-args-file ${c.taskArgsFile}` : ''}`;
    it(label, async () => {
      const { stage, errors } = await run(c);
      expect(stage).toBe(c.stage);
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors.length).toBeLessThanOrEqual(3);
      const error = errors.find((e) => e.format().includes(c.expect));
      expect(error, errors.map((e) => e.format()).join('\n')).toBeDefined();
      if (!error) return;
      const text = error.format();
      expect(text).not.toContain('\n');
      expect(text).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
      const expectedFile = c.errorFile ?? c.file;
      expect(error.location?.file).toBeDefined();
      expect(error.location?.file.endsWith(expectedFile)).toBe(true);
      expect(text.startsWith(error.location?.file as string)).toBe(true);
      if (c.line !== undefined) expect(error.location?.line).toBe(c.line);
      if (c.path !== undefined) {
        expect(formatTaskPath(error.path ?? [])).toBe(c.path);
        expect(text).toContain(`: ${c.path}: `);
      }
    });
  }
});
