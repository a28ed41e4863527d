/** `rally-gate task validate FILE`: load, render, normalise and check a task; run nothing. */
import { ExitCode, InputErrors, formatLocation, formatTaskPath } from '../../common/errors.js';
import '../../plugins/index.js';
import { formatNormalized, loadTask, validateTask } from '../../task/index.js';
import { parseCommandArgs, taskFileArgument, taskFileOptions } from '../options.js';

export async function taskValidateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('task validate', argv, {
    ...taskFileOptions,
    'print-normalized': { type: 'boolean' },
  });
  const file = taskFileArgument('task validate', positionals, values.task);
  const task = await loadTask(file, { taskArgs: values['task-args'], taskArgsFile: values['task-args-file'] });
  const report = validateTask(task);
  if (report.errors.length > 0) throw new InputErrors(report.errors);

  if (values['print-normalized']) {
    process.stdout.write(`${formatNormalized(task)}\n`);
  }
  for (const missing of report.unimplemented) {
    process.stderr.write(
      `rally-gate: note: ${formatLocation(missing.location)}: ${formatTaskPath(missing.path)}: ` +
        `${missing.kind} "${missing.name}" is a Rally plugin that rally-gate does not implement yet; ` +
        `it was checked for syntax only\n`,
    );
  }
  const workloads = task.config.subtasks.reduce((n, s) => n + s.workloads.length, 0);
  process.stderr.write(
    `rally-gate: ${file}: valid (${task.config.subtasks.length} subtasks, ${workloads} workloads` +
      `${report.unimplemented.length > 0 ? `, ${report.unimplemented.length} not runnable yet` : ''})\n`,
  );
  return ExitCode.ok;
}
