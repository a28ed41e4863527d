/**
 * `rally-gate report INPUT... [--out FILE] [--title TEXT]`: the self-contained HTML report of one or
 * more tasks. INPUT is a results folder of `rally-gate task start` (its task.json) or any Rally
 * JSON report (format 1.x, Rally's own too).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, InputError } from '../../common/errors.js';
import { writeHtmlReport } from '../../report/html/index.js';
import { readRallyJson } from '../../report/rally-json.js';
import type { LoadedTaskRecord } from '../../report/types.js';
import { parseCommandArgs } from '../options.js';

const REPORT_USAGE = `Usage: rally-gate report INPUT... [--out FILE] [--title TEXT]

INPUT    a results folder of "rally-gate task start" (its task.json) or a Rally JSON report
--out    the HTML file to write (default: report.html in the results folder when there is
         exactly one, else ./report.html)
--title  the page title (default: the task's title)`;

/** A results folder stands for its task.json; anything else is read as a Rally JSON file. */
async function reportFile(input: string): Promise<{ file: string; folder: boolean }> {
  try {
    if ((await stat(input)).isDirectory()) return { file: join(input, 'task.json'), folder: true };
  } catch {
    throw new InputError('no such file or folder', { file: input });
  }
  return { file: input, folder: false };
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, {
    out: { type: 'string', short: 'o' },
    title: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${REPORT_USAGE}\n`);
    return ExitCode.ok;
  }
  if (positionals.length === 0) throw new InputError('report: expected at least one results folder or Rally JSON file', undefined, undefined, ['run "rally-gate report --help" for usage']);

  const inputs = await Promise.all(positionals.map(reportFile));
  const tasks: LoadedTaskRecord[] = [];
  for (const input of inputs) tasks.push(...(await readRallyJson(input.file)).tasks);
  if (tasks.length === 0) throw new InputError('report: the input holds no task');

  const onlyFolder = inputs.length === 1 && inputs[0]!.folder ? positionals[0]! : undefined;
  const out = values.out ?? (onlyFolder ? join(onlyFolder, 'report.html') : 'report.html');
  await writeHtmlReport(tasks, out, values.title === undefined ? {} : { title: values.title });
  const passed = tasks.every((t) => t.passSla);
  process.stdout.write(`report: ${out} (${tasks.length} task${tasks.length === 1 ? '' : 's'}, ${passed ? 'all SLA criteria passed' : 'an SLA criterion failed'})\n`);
  return ExitCode.ok;
}
