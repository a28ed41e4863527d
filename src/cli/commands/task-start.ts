/** `rally-gate task start FILE`: load and check the task, run it, judge SLAs, write reports. */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExitCode, InputError, InputErrors } from '../../common/errors.js';
import { runTask } from '../../pipeline/run-task.js';
import '../../plugins/index.js';
import { formatSlaSummary, formatWorkloadConsole } from '../../report/console.js';
import { writeHtmlReport } from '../../report/html/index.js';
import { writeJUnit } from '../../report/junit.js';
import { writeRallyJson } from '../../report/rally-json.js';
import { loadTask, validateTask } from '../../task/index.js';
import { parseCommandArgs, taskFileArgument, taskFileOptions } from '../options.js';
import { cloudOptions, openEnvironment } from '../cloud.js';
import { createProgressReporter } from '../progress.js';
import { watchStopSignals } from '../signals.js';

export async function taskStartCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('task start', argv, {
    ...taskFileOptions,
    out: { type: 'string', default: 'rally-gate-results' },
    'abort-on-sla-failure': { type: 'boolean', default: false },
    'no-progress': { type: 'boolean', default: false },
    'no-html': { type: 'boolean', default: false },
    ...cloudOptions,
  });
  const file = taskFileArgument('task start', positionals, values.task);
  const task = await loadTask(file, { taskArgs: values['task-args'], taskArgsFile: values['task-args-file'] });
  const report = validateTask(task);
  if (report.errors.length > 0) throw new InputErrors(report.errors);
  if (report.unimplemented.length > 0) {
    // Nothing half-run: refuse before any workload starts.
    throw new InputErrors(
      report.unimplemented.map(
        (u) =>
          new InputError(
            `${u.kind} "${u.name}" is a Rally plugin that rally-gate does not implement yet, so this task cannot run`,
            u.location,
            u.path,
          ),
      ),
    );
  }

  const cloud = openEnvironment(task.config, values);
  const outDir = resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const progress = createProgressReporter(process.stderr, !values['no-progress']);
  const stopSignals = watchStopSignals((signal) =>
    progress.note(`rally-gate: ${signal} received: no new iterations; finishing in-flight ones and cleaning up (again to exit at once)`),
  );

  try {
    const taskUuid = randomUUID();
    progress.note(`rally-gate: task ${taskUuid}: ${file}, results in ${outDir}`);
    const { record, errors } = await runTask(task, {
      taskUuid,
      outDir,
      environment: cloud.environment,
      envName: cloud.envName,
      abortOnSlaFailure: values['abort-on-sla-failure'],
      signal: stopSignals.signal,
      observer: {
        workloadStarted: (info) => progress.workloadStarted(info),
        iterationsDone: (done, failed) => progress.update(done, failed),
        workloadFinished: (workload, errorSummary) => {
          progress.workloadFinished();
          process.stdout.write(formatWorkloadConsole(workload, { taskUuid, errors: errorSummary, color }));
        },
      },
    });

    const jsonFile = join(outDir, 'task.json');
    const junitFile = join(outDir, 'junit.xml');
    await writeRallyJson(record, jsonFile);
    await writeJUnit(record, junitFile, { iterationErrors: errors });
    const htmlFile = values['no-html'] ? undefined : join(outDir, 'report.html');
    if (htmlFile) await writeHtmlReport(record, htmlFile);

    process.stdout.write(`\nTask ${record.uuid}: ${record.status}\n`);
    process.stdout.write(`${formatSlaSummary(record, { color })}\n`);
    const verdict = record.passSla ? 'all SLA criteria passed' : 'at least one workload did not pass its SLA criteria';
    const files = [jsonFile, junitFile, ...(htmlFile ? [htmlFile] : [])];
    process.stdout.write(`${verdict}\nresults: ${files.join('\n         ')}\n`);

    if (stopSignals.received) return stopSignals.received === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
    return record.passSla ? ExitCode.ok : ExitCode.slaFailed;
  } finally {
    stopSignals.dispose();
    await cloud.close();
  }
}

