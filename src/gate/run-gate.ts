/**
 * The gate pipeline, shared by `rally-gate run` and the GitHub Action: load the settings and every
 * task (all valid before anything runs), run the tasks, judge SLAs and the baseline, store the run
 * on trusted refs, write the reports. Callers give one options object (extend it, do not add
 * positional parameters) and get one typed result back; printing and exit codes stay with them.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cloudFingerprint } from '../baseline/hash.js';
import { gitAncestry, selectBaseline, type BaselineSelection } from '../baseline/select.js';
import { DirectoryBaselineStore } from '../baseline/store-directory.js';
import { GitBaselineStore } from '../baseline/store-git.js';
import { UrlBaselineStore } from '../baseline/store-url.js';
import { summarizeRun, type GateTaskRun } from '../baseline/summarize.js';
import type { BaselineStore } from '../baseline/types.js';
import { ExitCode, InputError, InputErrors, type SourceLocation } from '../common/errors.js';
import { credentialFromOptions, openEnvironment, type CloudOptionValues } from '../cli/cloud.js';
import { describeCredential, type CloudCredential } from '../cloud/index.js';
import type { DeployProgress } from '../deploy/devstack/deploy.js';
import { loadDeploymentFile } from '../deploy/devstack/plan.js';
import { compareVerifications, renderVerificationJUnit, renderVerificationMarkdown, runVerification, writeVerificationReports } from '../verify/index.js';
import type { VerificationComparison } from '../verify/compare.js';
import { loadVerificationSettings } from '../verify/settings.js';
import type { VerificationResult, VerificationSettings } from '../verify/types.js';
import type { ProgressReporter } from '../cli/progress.js';
import { runTask } from '../pipeline/run-task.js';
import '../plugins/index.js';
import { formatWorkloadConsole } from '../report/console.js';
import { writeHtmlReport } from '../report/html/index.js';
import type { IterationErrorGroup } from '../report/iteration-errors.js';
import { renderJUnit } from '../report/junit.js';
import { writeRallyJson } from '../report/rally-json.js';
import type { TaskRunRecord } from '../report/types.js';
import { loadTask, validateTask } from '../task/index.js';
import type { LoadedTask } from '../task/types.js';
import { judge, type GateJudgement } from './compare.js';
import { buildHtmlComparison } from './html-comparison.js';
import { detectOrigin, guardedWrite, overrideOrigin, trustDecision, UntrustedWriteError, type RunOrigin } from './refs.js';
import { countVerdicts, mergeJUnit, type VerificationVerdict, renderGateJUnitSuite, renderSummaryMarkdown, renderVerdictJson, type GateReportContext, type VerdictCounts } from './report.js';
import { DEFAULT_SETTINGS_FILE, defaultSettings, loadSettings, type GateSettings, type StoreSettings } from './settings.js';

const exec = promisify(execFile);

export interface GateRunOptions {
  /** settings file; undefined: rally-jobs/gate.yaml when it exists, else defaults (every task in rally-jobs/, no store) */
  settingsFile?: string;
  /** task files to run instead of the settings' list (args from the settings still apply to the same files) */
  taskFiles?: readonly string[];
  /** baseline store instead of the settings' one */
  store?: StoreSettings;
  /** results folder (created) */
  outDir: string;
  /** store this run as a baseline when the ref is trusted (never from a pull request) */
  storeBaseline: boolean;
  /** what was given explicitly wins over what the CI variables say */
  origin?: { branch?: string; event?: string; commit?: string };
  /** compare with runs at or before the merge base of HEAD and this ref */
  baseRef?: string;
  /** extra facts for the cloud fingerprint */
  fingerprint?: Record<string, string>;
  /** the cloud, as for `task start` (none needed for Dummy/HTTP tasks) */
  cloud?: CloudOptionValues;
  /**
   * a deployment file (docs/deploy.md): DevStack is deployed onto its nodes over SSH first, and the
   * tasks run against the cloud it made (instead of `cloud`); its logs go to <outDir>/deploy/
   */
  deploymentFile?: string;
  /** stack.sh's progress (default: each node's steps as progress notes) */
  deployProgress?: DeployProgress;
  /**
   * Tempest before the tasks (docs/verify.md): true uses the settings' `verify:` section (an error
   * without one), a file name reads verification settings from that file, false skips it even when
   * the settings have a section; undefined: run it when the settings have a section.
   */
  verify?: boolean | string;
  /** stopping the run: its signal is aborted on the first SIGINT/SIGTERM, `received` says which */
  stop?: { readonly signal: AbortSignal; readonly received: NodeJS.Signals | undefined };
  /** progress lines (stderr in the CLI) */
  progress?: ProgressReporter;
  /** console output: each workload's tables and the final lines (stdout in the CLI) */
  print?: (text: string) => void;
  color?: boolean;
  /** write report.html (all tasks in one page); default true */
  html?: boolean;
  /** CI variables (default process.env) */
  env?: NodeJS.ProcessEnv;
}

/** One workload of the run as integrations need it: where it is written and what went wrong. */
export interface GateWorkloadOutcome {
  task: string;
  subtask: string;
  scenario: string;
  position: number;
  /** the workload's place in its task file (the scenario key when known) */
  location: SourceLocation;
  passSla: boolean;
  iterations: number;
  failures: number;
  /** the most frequent iteration errors (type, message, count) */
  errors: IterationErrorGroup[];
}

export interface GateRunResult {
  exitCode: number;
  passed: boolean;
  interrupted: boolean;
  judgement: GateJudgement;
  counts: VerdictCounts;
  origin: RunOrigin;
  baselineNote: string;
  storeNote: string;
  settings: GateSettings;
  workloads: GateWorkloadOutcome[];
  /** absolute paths of what was written */
  files: { outDir: string; summary: string; verdict: string; junit: string; html?: string; tasks: string[] };
  /** summary.md's text (the PR comment and job summary) */
  summaryMarkdown: string;
  /** the Tempest verification, when the run had one */
  verification?: VerificationResult;
}

async function gitOutput(args: string[]): Promise<string | undefined> {
  try {
    return (await exec('git', args)).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

export function openStore(store: StoreSettings): BaselineStore {
  if (store.type === 'directory') return new DirectoryBaselineStore(resolve(store.path));
  if (store.type === 'url') return new UrlBaselineStore(store.url);
  return new GitBaselineStore({ remote: store.remote, branch: store.branch, path: store.path });
}

/** `--fingerprint` values: KEY=VALUE items, comma-separated, repeatable. */
export function parseFingerprintFacts(values: readonly string[], source = 'run: --fingerprint'): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const item of values.flatMap((v) => v.split(',')).filter((v) => v.trim() !== '')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InputError(`${source} takes KEY=VALUE, got ${JSON.stringify(item)}`);
    facts[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return facts;
}

function taskFolderName(index: number, file: string): string {
  return `${index + 1}-${basename(file).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
}

/** The settings to use: an explicit file must exist; the default one is optional. */
export function resolveGateSettings(settingsFile: string | undefined, taskFiles?: readonly string[]): GateSettings {
  const file = settingsFile ?? DEFAULT_SETTINGS_FILE;
  const settings = settingsFile === undefined && !existsSync(file) ? defaultSettings(file) : loadSettings(file);
  if (taskFiles === undefined || taskFiles.length === 0) return settings;
  const byPath = new Map(settings.tasks.map((t) => [resolve(t.file), t]));
  return { ...settings, tasks: taskFiles.map((f) => ({ ...(byPath.get(resolve(f)) ?? {}), file: f })) };
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

function workloadOutcomes(task: LoadedTask, record: TaskRunRecord, errors: Map<string, { groups: IterationErrorGroup[] }>): GateWorkloadOutcome[] {
  const outcomes: GateWorkloadOutcome[] = [];
  for (const [subtaskIndex, subtask] of record.subtasks.entries()) {
    for (const workload of subtask.workloads) {
      const position = workload.summary.position;
      const path = ['subtasks', subtaskIndex, 'workloads', position, 'scenario'];
      const location = task.locate(path, { key: true });
      outcomes.push({
        task: task.file,
        subtask: subtask.config.title,
        scenario: Object.keys(workload.config.scenario)[0] ?? '',
        position,
        location: { ...location, file: location.file || task.file },
        passSla: workload.summary.passSla,
        iterations: workload.summary.totalIterationCount,
        failures: workload.summary.failedIterationCount,
        errors: (errors.get(workload.summary.uuid)?.groups ?? []).slice().sort((a, b) => b.count - a.count).slice(0, 3),
      });
    }
  }
  return outcomes;
}

/** The verification to run, from the option and the settings' `verify:` section. */
function verificationSettings(option: boolean | string | undefined, settings: GateSettings): VerificationSettings | undefined {
  if (option === false) return undefined;
  if (typeof option === 'string') return loadVerificationSettings(option);
  if (option === true && !settings.verification) {
    throw new InputError('--verify: the gate settings have no "verify:" section (docs/verify.md); give a verification settings file with --verify-settings', { file: settings.file });
  }
  return settings.verification;
}

export function verificationVerdict(result: VerificationResult): VerificationVerdict {
  const t = result.totals;
  return { passed: result.passed, failures: t.failures + t.unexpectedSuccesses + t.classFailures };
}

/** What a baseline keeps of a verification: statuses and durations, not the failure texts. */
function storedVerification(result: VerificationResult): VerificationResult {
  return { ...result, tests: result.tests.map(({ traceback: _traceback, ...test }) => test) };
}

/** Runs the gate; throws InputError (exit 2) before running anything when settings or tasks are invalid. */
export async function runGate(options: GateRunOptions): Promise<GateRunResult> {
  const env = options.env ?? process.env;
  const print = options.print ?? (() => undefined);
  const note = (line: string) => options.progress?.note(line);
  const loaded = resolveGateSettings(options.settingsFile, options.taskFiles);
  const settings: GateSettings = options.store ? { ...loaded, store: options.store } : loaded;
  const extraFacts = options.fingerprint ?? {};
  const tasks = await loadGateTasks(settings);
  // Read before anything runs too: a bad deployment or verification file is an input error (exit 2), not a half-run.
  const deployment = options.deploymentFile !== undefined ? loadDeploymentFile(options.deploymentFile) : undefined;
  const verification = verificationSettings(options.verify, settings);
  if (verification?.where === 'controller' && !deployment) {
    throw new InputError('verify: "where: controller" runs Tempest on the deployment\'s controller over SSH: give --deployment FILE (or leave "where" out to run it here)', { file: settings.file });
  }

  const origin = overrideOrigin(detectOrigin(env), options.origin ?? {});
  origin.commit ??= (await gitOutput(['rev-parse', 'HEAD'])) ?? 'unknown';
  origin.branch ??= await gitOutput(['rev-parse', '--abbrev-ref', 'HEAD']);
  const trust = trustDecision(origin, settings.trusted);

  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const signal = options.stop?.signal;

  let deployedCloud: CloudCredential | undefined;
  const deploymentFacts: Record<string, string> = {};
  if (deployment) {
    // Loaded on demand: ssh2 is only needed by runs that deploy.
    const { deployDevstack } = await import('../deploy/devstack/deploy.js');
    const nodes = [deployment.controller, ...deployment.subnodes];
    note(`rally-gate: deploying DevStack ${deployment.source.repo} (${deployment.source.ref}) onto ${nodes.map((n) => n.name).join(', ')}; logs in ${join(outDir, 'deploy')}`);
    const deployed = await deployDevstack(deployment, {
      outDir,
      progress: options.deployProgress ?? { step: (node, step) => note(`rally-gate: [${node}] ${step}`), line: () => undefined },
      ...(signal ? { signal } : {}),
    });
    deployedCloud = deployed.credential;
    deploymentFacts['deployment'] = `devstack ${deployment.source.ref}, ${nodes.length} node(s)`;
    note(`rally-gate: DevStack deployed: ${describeCredential(deployed.credential)}`);
  }

  let verified: VerificationResult | undefined;
  if (verification && !signal?.aborted) {
    note(`rally-gate: verifying the cloud with Tempest (${verification.set ? `set ${verification.set}` : verification.pattern ? `pattern ${verification.pattern}` : 'selected tests'}), results in ${join(outDir, 'verify')}`);
    // On the controller only when asked: this machine reaches the cloud's API as well, and a local
    // run needs no tempest on the node (docs/verify.md). ssh2 is loaded on demand.
    const controllerRunner =
      verification.where === 'controller' && deployment
        ? await (await import('../verify/ssh-command-runner.js')).SshCommandRunner.open(deployment.controller.ssh, signal ? { signal } : {})
        : undefined;
    try {
      verified = await runVerification(deployedCloud ?? credentialFromOptions(options.cloud ?? {}), verification, {
        outDir: join(outDir, 'verify'),
        progress: (event) => {
          if (event.kind === 'step') note(`rally-gate: tempest: ${event.message}`);
          else if (event.event.kind === 'finished' && (event.event.test.status === 'fail' || event.event.test.status === 'uxsuccess')) note(`rally-gate: tempest: ${event.event.test.status.toUpperCase()} ${event.event.test.id}`);
        },
        ...(signal ? { signal } : {}),
        ...(controllerRunner ? { runner: controllerRunner } : {}),
      });
    } finally {
      await controllerRunner?.close();
    }
    const t = verified.totals;
    note(`rally-gate: tempest ${verified.passed ? 'passed' : 'FAILED'}: ${t.tests} tests, ${t.success} passed, ${t.failures} failed, ${t.skipped} skipped, ${t.expectedFailures} expected failures, ${t.unexpectedSuccesses} unexpected successes`);
  }

  const runs: GateTaskRun[] = [];
  const records: TaskRunRecord[] = [];
  const workloads: GateWorkloadOutcome[] = [];
  const taskFiles: string[] = [];
  const envNames = new Set<string>();
  const links: { label: string; href: string }[] = [];
  for (const [index, task] of tasks.entries()) {
    if (signal?.aborted) break;
    const cloud = openEnvironment(task.config, options.cloud ?? {}, deployedCloud);
    envNames.add(cloud.envName);
    const taskDir = join(outDir, 'tasks', taskFolderName(index, task.file));
    await mkdir(taskDir, { recursive: true });
    const taskUuid = randomUUID();
    note(`rally-gate: task ${index + 1}/${tasks.length} ${task.file} (${taskUuid}), results in ${taskDir}`);
    try {
      const { record, errors } = await runTask(task, {
        taskUuid,
        outDir: taskDir,
        environment: cloud.environment,
        envName: cloud.envName,
        ...(signal ? { signal } : {}),
        observer: {
          workloadStarted: (info) => options.progress?.workloadStarted(info),
          iterationsDone: (done, failed) => options.progress?.update(done, failed),
          workloadFinished: (workload, errorSummary) => {
            options.progress?.workloadFinished();
            print(formatWorkloadConsole(workload, { taskUuid, errors: errorSummary, color: options.color ?? false }));
          },
        },
      });
      const jsonFile = join(taskDir, 'task.json');
      await writeRallyJson(record, jsonFile);
      taskFiles.push(jsonFile);
      links.push({ label: `${task.file}: task.json`, href: relative(outDir, jsonFile) });
      runs.push({ file: task.file, record });
      records.push(record);
      workloads.push(...workloadOutcomes(task, record, errors));
    } finally {
      await cloud.close();
    }
  }

  const fingerprint = cloudFingerprint({ env: [...envNames].sort().join(','), ...deploymentFacts, ...settings.fingerprint, ...extraFacts });
  const summarized = await summarizeRun(runs, { commit: origin.commit, branch: origin.branch ?? 'unknown', fingerprint });
  const current = verified ? { ...summarized, verification: storedVerification(verified) } : summarized;

  const store = settings.store ? openStore(settings.store) : undefined;
  let selection: BaselineSelection = { runs: [], method: 'time', otherFingerprints: 0 };
  let baselineNote = 'no baseline store configured (baseline.store in the gate settings)';
  let storeNote = 'not requested (--store-baseline)';
  let judgement: GateJudgement;
  let verifiedComparison: VerificationComparison | undefined;
  try {
    if (store) {
      const baseRef = options.baseRef ?? (env['GITHUB_BASE_REF'] ? `origin/${env['GITHUB_BASE_REF']}` : 'HEAD');
      const ancestry = await gitAncestry(process.cwd(), baseRef);
      selection = await selectBaseline(store, {
        fingerprint,
        count: settings.baselineRuns,
        ...(ancestry ? { ancestors: ancestry.ancestors, mergeBase: ancestry.mergeBase } : {}),
      });
      const how = selection.method === 'ancestry' ? `at or before ${selection.mergeBase?.slice(0, 12)} (merge base with ${baseRef})` : 'the latest by time (no git ancestry available)';
      baselineNote = `${selection.runs.length} run(s) from ${store.description}, ${how}, cloud fingerprint ${fingerprint}${selection.otherFingerprints > 0 ? `; ${selection.otherFingerprints} run(s) of other clouds left out` : ''}`;
    }
    // Selected before this run is written, so it is never compared with itself.
    judgement = judge(current, selection.runs, settings);
    if (verified) {
      const previous = [...selection.runs].reverse().find((run) => run.verification !== undefined)?.verification;
      verifiedComparison = previous ? compareVerifications(previous, verified) : undefined;
      await writeVerificationReports(join(outDir, 'verify'), verified, verifiedComparison);
    }

    const complete = records.length === tasks.length && records.every((r) => r.status === 'finished') && (!verification || verified !== undefined);
    if (options.storeBaseline) {
      if (!store) storeNote = 'requested, but no baseline store is configured';
      else if (!complete) storeNote = 'not stored: the run did not finish';
      else {
        try {
          const where = await guardedWrite(origin, settings.trusted, () => (store.write ? store.write(current) : Promise.reject(new UntrustedWriteError(`${store.description} is read-only`))));
          storeNote = `stored as ${where} in ${store.description} (${trust.reason})`;
        } catch (error) {
          if (!(error instanceof UntrustedWriteError)) throw error;
          storeNote = `not stored: ${error.message.replace(/^refusing to write the baseline: /, '')}`;
          note(`rally-gate: ${error.message}`);
        }
      }
    }
  } finally {
    if (store instanceof GitBaselineStore) await store.close();
  }

  const signalled = options.stop?.received;
  // A failing verification fails the gate (known failures belong on its xfail list).
  const passed = judgement.passed && (verified?.passed ?? true);
  const exitCode = signalled ? (signalled === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted) : passed ? ExitCode.ok : ExitCode.slaFailed;
  const htmlFile = options.html === false || records.length === 0 ? undefined : join(outDir, 'report.html');
  const context: GateReportContext = {
    baseline: baselineNote,
    storeNote,
    ...(origin.commit ? { commit: origin.commit } : {}),
    ...(origin.branch ? { branch: origin.branch } : {}),
    ...(verified ? { verification: verificationVerdict(verified) } : {}),
    links: [
      ...(htmlFile ? [{ label: 'report.html', href: 'report.html' }] : []),
      ...(verified ? [{ label: 'verify/summary.md', href: 'verify/summary.md' }] : []),
      { label: 'junit.xml', href: 'junit.xml' },
      { label: 'verdict.json', href: 'verdict.json' },
      ...links,
    ],
  };
  const files = {
    outDir,
    summary: join(outDir, 'summary.md'),
    verdict: join(outDir, 'verdict.json'),
    junit: join(outDir, 'junit.xml'),
    ...(htmlFile ? { html: htmlFile } : {}),
    tasks: taskFiles,
  };
  const summaryMarkdown = renderSummaryMarkdown(judgement, context) + (verified ? `\n${renderVerificationMarkdown(verified, verifiedComparison)}` : '');
  const junit = mergeJUnit(await renderJUnit(records), renderGateJUnitSuite(judgement));
  await writeFile(files.junit, verified ? mergeJUnit(junit, renderVerificationJUnit(verified)) : junit);
  await writeFile(files.summary, summaryMarkdown);
  await writeFile(files.verdict, renderVerdictJson(judgement, { ...context, exitCode }));
  if (htmlFile) {
    // The page shows each workload beside its baseline (medians, change, interval, distributions).
    const comparison = selection.runs.length > 0
      ? { comparison: buildHtmlComparison({ judgement, current, baselineRuns: selection.runs, tasks: runs.map((r) => ({ file: r.file, subtasks: r.record.subtasks })) }) }
      : {};
    await writeHtmlReport(records, htmlFile, comparison);
  }

  return {
    exitCode,
    passed,
    interrupted: signalled !== undefined,
    judgement,
    counts: countVerdicts(judgement),
    origin,
    baselineNote,
    storeNote,
    settings,
    workloads,
    files,
    summaryMarkdown,
    ...(verified ? { verification: verified } : {}),
  };
}
