/**
 * Compatibility bar: every task file of the rally-jobs corpus (../shared/corpus/rally-jobs)
 * loads to exactly the normalised task Rally 3.3.0 makes of it (expected/<name>.json, produced
 * by Rally's own loader), key order aside; rally__rally-mos.yaml is refused for the same missing
 * arguments. The two task-args files of the corpus are loaded as --task-args-file for the tasks
 * they belong to, and compared with Rally's result when Rally's Python code is available.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/common/errors.js';
import { loadTask } from '../src/task/index.js';
import { referenceUnavailable, runRallyReference, SKIP_MESSAGE } from './unit/task/rally-reference.js';

const repo = dirname(fileURLToPath(import.meta.url)).replace(/[/\\]test$/, '');
const corpusDir = join(repo, '..', 'shared', 'corpus', 'rally-jobs');
const ARGS_FILES = ['rally-openstack__rally_args.yaml', 'rally-openstack__certifcation_task_args.yaml'];

/** Deep value with object keys sorted: compares data, not key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function missingNames(message: string): string[] {
  return (/arguments?: ([\w, ]+)/.exec(message)?.[1] ?? '').trim().split(', ').sort();
}

interface Expected {
  file: string;
  normalized?: unknown;
  error?: { stage: string; type: string; message: string };
}

const available = existsSync(corpusDir);
if (!available) console.warn(`corpus test skipped: ${corpusDir} not found`);

describe.skipIf(!available)(`rally-jobs corpus loads like Rally 3.3.0${available ? '' : ` (skipped: ${corpusDir} not found)`}`, () => {
  const taskFiles = available ? readdirSync(corpusDir).filter((f) => f.endsWith('.yaml') && !ARGS_FILES.includes(f)).sort() : [];

  it('has the 41 task files and their expected loads', () => {
    expect(taskFiles).toHaveLength(41);
    for (const file of taskFiles) expect(existsSync(join(corpusDir, 'expected', file.replace(/\.yaml$/, '.json')))).toBe(true);
  });

  for (const file of taskFiles) {
    it(file, async () => {
      const expected = JSON.parse(readFileSync(join(corpusDir, 'expected', file.replace(/\.yaml$/, '.json')), 'utf8')) as Expected;
      const path = join(corpusDir, file);
      if (expected.error) {
        // Rally refuses it before rendering: the same template arguments must be missing
        expect(expected.error.stage).toBe('render');
        const failure = await loadTask(path).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(InputError);
        const message = (failure as InputError).format();
        expect(message).toContain('Please specify next template task arguments');
        expect(missingNames(message)).toEqual(missingNames(expected.error.message));
        return;
      }
      const task = await loadTask(path);
      expect(canonical(task.config)).toEqual(canonical(expected.normalized));
    });
  }
});

/** Which corpus tasks each args file is meant for (rally-openstack's CI passes rally_args.yaml to its jobs). */
function argsPairs(): Array<{ task: string; argsFile: string }> {
  if (!available) return [];
  const rallyOpenstack = readdirSync(corpusDir).filter((f) => f.startsWith('rally-openstack__') && !ARGS_FILES.includes(f));
  return [
    ...rallyOpenstack.map((task) => ({ task, argsFile: 'rally-openstack__rally_args.yaml' })),
    { task: 'rally-openstack__basic-with-existing-users.yaml', argsFile: 'rally-openstack__certifcation_task_args.yaml' },
    { task: 'rally-openstack__neutron.yaml', argsFile: 'rally-openstack__certifcation_task_args.yaml' },
  ].sort((a, b) => a.task.localeCompare(b.task) || a.argsFile.localeCompare(b.argsFile));
}

describe.skipIf(!available)('corpus tasks with their task-args files', () => {
  const pairs = argsPairs();
  const reference =
    referenceUnavailable || pairs.length === 0
      ? undefined
      : runRallyReference(
          pairs.map((p) => ({
            mode: 'load' as const,
            template: readFileSync(join(corpusDir, p.task), 'utf8'),
            template_dir: corpusDir,
            args: readFileSync(join(corpusDir, p.argsFile), 'utf8'),
          })),
        );
  if (!reference) console.warn(`args-file comparison with Rally skipped: ${SKIP_MESSAGE}`);

  pairs.forEach((pair, i) => {
    it(`${pair.task} with --task-args-file ${pair.argsFile}`, async () => {
      const task = await loadTask(join(corpusDir, pair.task), { taskArgsFile: join(corpusDir, pair.argsFile) });
      expect(Object.keys(task.args).length).toBeGreaterThan(0);
      const expected = reference?.[i];
      if (!expected) return;
      expect(expected.error).toBeUndefined();
      expect(canonical(task.config)).toEqual(canonical(expected.normalized));
    });
  });
});
