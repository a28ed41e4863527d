/** Argument parsing shared by the task commands (node:util parseArgs, no dependency). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../common/errors.js';

export const taskFileOptions = {
  task: { type: 'string' },
  'task-args': { type: 'string' },
  'task-args-file': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: O,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError(`${command}: ${(err as Error).message}`);
  }
}

/** The task file: positional FILE or Rally's `--task FILE`. */
export function taskFileArgument(command: string, positionals: string[], taskOption: string | undefined): string {
  const files = [...positionals, ...(taskOption === undefined ? [] : [taskOption])];
  if (files.length !== 1) {
    throw new InputError(`${command}: expected exactly one task file, got ${files.length === 0 ? 'none' : files.join(', ')}`);
  }
  return files[0]!;
}
