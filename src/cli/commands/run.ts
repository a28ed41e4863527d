/**
 * `rally-gate run`: the gate. Runs every task of the gate settings, judges SLAs and the baseline,
 * writes the reports (task.json per task, one junit.xml, summary.md, verdict.json) and stores the
 * run as a baseline when asked to and the ref is trusted. Exit 0 pass, 1 SLA failure / regression /
 * new failures, 2 invalid input, 3 runtime error (docs/gate.md).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cloudFingerprint } from '../../baseline/hash.js';
import { gitAncestry, selectBaseline, type BaselineSelection } from '../../baseline/select.js';
import { DirectoryBaselineStore } from '../../baseline/store-directory.js';
import { GitBaselineStore } from '../../baseline/store-git.js';
import { UrlBaselineStore } from '../../baseline/store-url.js';
import { summarizeRun, type GateTaskRun } from '../../baseline/summarize.js';
import type { BaselineStore } from '../../baseline/types.js';
import { ExitCode, InputError, InputErrors } from '../../common/errors.js';
import { judge } from '../../gate/compare.js';
import { detectOrigin, guardedWrite, overrideOrigin, trustDecision, UntrustedWriteError } from '../../gate/refs.js';
import { mergeJUnit, renderGateJUnitSuite, renderSummaryMarkdown, renderVerdictJson, verdictLine, type GateReportContext } from '../../gate/report.js';
import { DEFAULT_SETTINGS_FILE, defaultSettings, loadSettings, type GateSettings, type StoreSettings } from '../../gate/settings.js';
import { runTask } from '../../pipeline/run-task.js';
import '../../plugins/index.js';
import { formatWorkloadConsole } from '../../report/console.js';
import { renderJUnit } from '../../report/junit.js';
import { writeRallyJson } from '../../report/rally-json.js';
import type { TaskRunRecord } from '../../report/types.js';
import { loadTask, validateTask } from '../../task/index.js';
import type { LoadedTask } from '../../task/types.js';
import { cloudOptions, openEnvironment } from '../cloud.js';
import { parseCommandArgs } from '../options.js';
import { createProgressReporter } from '../progress.js';
import { watchStopSignals } from '../signals.js';

const exec = promisify(execFile);

export const GATE_RUN_USAGE = `rally-gate run [options]: run the gate's tasks, judge SLAs and the baseline, write reports

  --settings FILE     gate settings (default ${DEFAULT_SETTINGS_FILE}; without it: every task in rally-jobs/, no baseline)
  --out DIR           results folder (default rally-gate-results)
  --store-baseline    store this run as a baseline when the ref is trusted (never from a pull request)
  --branch NAME       branch measured (default: from CI variables)
  --event NAME        push, schedule, pull_request, ... (default: from CI variables)
  --commit SHA        commit measured (default: from CI variables, else git rev-parse HEAD)
  --base-ref REF      compare with runs at or before the merge base of HEAD and REF (e.g. origin/main)
  --fingerprint K=V   extra facts for the cloud fingerprint (repeatable, comma-separated)
  --no-progress       plain lines only
  --os-cloud, --os-region-name, --env-spec   the cloud, as for task start`;

async function gitOutput(args: string[]): Promise<string | undefined> {
  try {
    return (await exec('git', args)).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

function openStore(store: StoreSettings): BaselineStore {
  if (store.type === 'directory') return new DirectoryBaselineStore(resolve(store.path));
  if (store.type === 'url') return new UrlBaselineStore(store.url);
  return new GitBaselineStore({ remote: store.remote, branch: store.branch, path: store.path });
}

function parseFacts(values: readonly string[]): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const item of values.flatMap((v) => v.split(','))) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InputError(`run: --fingerprint takes KEY=VALUE, got ${JSON.stringify(item)}`);
    facts[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return facts;
}

function taskFolderName(index: number, file: string): string {
  return `${index + 1}-${basename(file).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
}

async function loadGateTasks(settings: GateSettings): Promise<LoadedTask[]> {
  if (settings.tasks.length === 0) throw new InputError('the gate settings name no task files (and none were found next to them)', { file: settings.file });
  const tasks: LoadedTask[] = [];
  const problems: InputError[] = [];
  for (const entry of settings.tasks) {
    try {
      const task = await loadTask(entry.file, {
        ...(entry.args !== undefined ? { taskArgs: entry.args } : {}),
        ...(entry.argsFile !== undefined ? { taskArgsFile: entry.argsFile } : {}),
      });
      const report = validateTask(task);
      problems.push(...report.errors);
      for (const u of report.unimplemented) {
        problems.push(new InputError(`${u.kind} "${u.name}" is a Rally plugin that rally-gate does not implement yet, so this task cannot run`, u.location, u.path));
      }
      tasks.push(task);
    } catch (error) {
      if (error instanceof InputErrors) problems.push(...error.errors);
      else if (error instanceof InputError) problems.push(error);
      else throw error;
    }
  }
  // Nothing half-run: every task must be valid before the first workload starts.
  if (problems.length > 0) throw new InputErrors(problems);
  return tasks;
}

export async function gateRunCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('run', argv, {
    settings: { type: 'string' },
    out: { type: 'string', default: 'rally-gate-results' },
    'store-baseline': { type: 'boolean', default: false },
    branch: { type: 'string' },
    event: { type: 'string' },
    commit: { type: 'string' },
    'base-ref': { type: 'string' },
    fingerprint: { type: 'string', multiple: true, default: [] },
    'no-progress': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...cloudOptions,
  });
  if (values.help) {
    process.stdout.write(`${GATE_RUN_USAGE}\n`);
    return ExitCode.ok;
  }
  const settingsFile = values.settings ?? DEFAULT_SETTINGS_FILE;
  const settings = values.settings === undefined && !existsSync(settingsFile) ? defaultSettings(settingsFile) : loadSettings(settingsFile);
  const extraFacts = parseFacts(values.fingerprint);
  const tasks = await loadGateTasks(settings);

  const detected = detectOrigin();
  const origin = overrideOrigin(detected, {
    ...(values.branch !== undefined ? { branch: values.branch } : {}),
    ...(values.event !== undefined ? { event: values.event } : {}),
    ...(values.commit !== undefined ? { commit: values.commit } : {}),
  });
  origin.commit ??= (await gitOutput(['rev-parse', 'HEAD'])) ?? 'unknown';
  origin.branch ??= await gitOutput(['rev-parse', '--abbrev-ref', 'HEAD']);
  const trust = trustDecision(origin, settings.trusted);

  const outDir = resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const progress = createProgressReporter(process.stderr, !values['no-progress']);
  const stopSignals = watchStopSignals((signal) =>
    progress.note(`rally-gate: ${signal} received: no new iterations; finishing in-flight ones and cleaning up (again to exit at once)`),
  );

  const runs: GateTaskRun[] = [];
  const records: TaskRunRecord[] = [];
  const envNames = new Set<string>();
  const links: { label: string; href: string }[] = [];
  try {
    for (const [index, task] of tasks.entries()) {
      if (stopSignals.signal.aborted) break;
      const cloud = openEnvironment(task.config, values);
      envNames.add(cloud.envName);
      const taskDir = join(outDir, 'tasks', taskFolderName(index, task.file));
      await mkdir(taskDir, { recursive: true });
      const taskUuid = randomUUID();
      progress.note(`rally-gate: task ${index + 1}/${tasks.length} ${task.file} (${taskUuid}), results in ${taskDir}`);
      try {
        const { record } = await runTask(task, {
          taskUuid,
          outDir: taskDir,
          environment: cloud.environment,
          envName: cloud.envName,
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
        await writeRallyJson(record, join(taskDir, 'task.json'));
        links.push({ label: `${task.file}: task.json`, href: relative(outDir, join(taskDir, 'task.json')) });
        runs.push({ file: task.file, record });
        records.push(record);
      } finally {
        await cloud.close();
      }
    }

    const fingerprint = cloudFingerprint({ env: [...envNames].sort().join(','), ...settings.fingerprint, ...extraFacts });
    const current = await summarizeRun(runs, { commit: origin.commit, branch: origin.branch ?? 'unknown', fingerprint });

    const store = settings.store ? openStore(settings.store) : undefined;
    let selection: BaselineSelection = { runs: [], method: 'time', otherFingerprints: 0 };
    let baselineNote = 'no baseline store configured (baseline.store in the gate settings)';
    if (store) {
      const baseRef = values['base-ref'] ?? (process.env['GITHUB_BASE_REF'] ? `origin/${process.env['GITHUB_BASE_REF']}` : 'HEAD');
      const ancestry = await gitAncestry(process.cwd(), baseRef);
      selection = await selectBaseline(store, {
        fingerprint,
        count: settings.baselineRuns,
        ...(ancestry ? { ancestors: ancestry.ancestors, mergeBase: ancestry.mergeBase } : {}),
      });
      const how = selection.method === 'ancestry' ? `at or before ${selection.mergeBase?.slice(0, 12)} (merge base with ${baseRef})` : 'the latest by time (no git ancestry available)';
      baselineNote = `${selection.runs.length} run(s) from ${store.description}, ${how}, cloud fingerprint ${fingerprint}${selection.otherFingerprints > 0 ? `; ${selection.otherFingerprints} run(s) of other clouds left out` : ''}`;
    }
    const judgement = judge(current, selection.runs, settings);

    let storeNote = 'not requested (--store-baseline)';
    const complete = records.length === tasks.length && records.every((r) => r.status === 'finished');
    if (values['store-baseline']) {
      if (!store) storeNote = 'requested, but no baseline store is configured';
      else if (!complete) storeNote = 'not stored: the run did not finish';
      else {
        try {
          const where = await guardedWrite(origin, settings.trusted, () => store.write ? store.write(current) : Promise.reject(new UntrustedWriteError(`${store.description} is read-only`)));
          storeNote = `stored as ${where} in ${store.description} (${trust.reason})`;
        } catch (error) {
          if (!(error instanceof UntrustedWriteError)) throw error;
          storeNote = `not stored: ${error.message.replace(/^refusing to write the baseline: /, '')}`;
          progress.note(`rally-gate: ${error.message}`);
        }
      }
    }
    if (store instanceof GitBaselineStore) await store.close();

    const signalled = stopSignals.received;
    const exitCode = signalled ? (signalled === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted) : judgement.passed ? ExitCode.ok : ExitCode.slaFailed;
    const context: GateReportContext = {
      baseline: baselineNote,
      storeNote,
      ...(origin.commit ? { commit: origin.commit } : {}),
      ...(origin.branch ? { branch: origin.branch } : {}),
      links: [{ label: 'junit.xml', href: 'junit.xml' }, { label: 'verdict.json', href: 'verdict.json' }, ...links],
    };
    const junit = mergeJUnit(await renderJUnit(records), renderGateJUnitSuite(judgement));
    await writeFile(join(outDir, 'junit.xml'), junit);
    await writeFile(join(outDir, 'summary.md'), renderSummaryMarkdown(judgement, context));
    await writeFile(join(outDir, 'verdict.json'), renderVerdictJson(judgement, { ...context, exitCode }));

    process.stdout.write(`\n${verdictLine(judgement).replace(/:[a-z_]+: /, '').replace(/\*\*/g, '')}\n`);
    process.stdout.write(`baseline: ${baselineNote}\nbaseline store: ${storeNote}\nresults: ${outDir}/{summary.md,verdict.json,junit.xml,tasks/}\n`);
    return exitCode;
  } finally {
    stopSignals.dispose();
  }
}
