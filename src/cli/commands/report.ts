/**
 * `rally-gate report INPUT... [--out FILE] [--title TEXT] [--baseline STORE ...]`: the self-contained
 * HTML report of one or more tasks, optionally compared with a stored baseline. INPUT is a results
 * folder of `rally-gate task start` (its task.json) or any Rally JSON report (format 1.x, Rally's own too).
 * `rally-gate report --trends --baseline-store STORE [--out FILE] ...`: the trends page of a baseline store.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { workloadHash } from '../../baseline/hash.js';
import { summarizeIterations } from '../../baseline/summarize.js';
import { GitBaselineStore } from '../../baseline/store-git.js';
import { BASELINE_FORMAT, type BaselineRun, type BaselineStore } from '../../baseline/types.js';
import { ExitCode, InputError } from '../../common/errors.js';
import { judge } from '../../gate/compare.js';
import { buildHtmlComparison, describeBaselineRuns } from '../../gate/html-comparison.js';
import { defaultSettings, loadSettings, type GateSettings } from '../../gate/settings.js';
import { writeHtmlReport, type HtmlComparison } from '../../report/html/index.js';
import { readRallyJson } from '../../report/rally-json.js';
import { filterRuns, openBaselineStore, readTrendRuns, writeTrendsReport } from '../../report/trends/index.js';
import { scenarioName, type LoadedTaskRecord } from '../../report/types.js';
import { parseCommandArgs } from '../options.js';

const REPORT_USAGE = `Usage: rally-gate report INPUT... [--out FILE] [--title TEXT] [--baseline STORE [--runs N] [--branch NAME] [--fingerprint HASH]]
       rally-gate report --trends --baseline-store STORE [--out FILE] [--branch NAME] [--last N] [--fingerprint HASH]

INPUT           a results folder of "rally-gate task start" (its task.json) or a Rally JSON report
--out           the HTML file to write (default: report.html in the results folder when there is
                exactly one, else ./report.html; with --trends: ./trends.html)
--title         the page title (default: the task's title)
--baseline, --baseline-store STORE
                a baseline store: a directory, an http(s) URL or git:REMOTE[#BRANCH[:PATH]]
                (with INPUT: compare the first task with it, as the gate does)
--trends        write the trends page of the store: every stored run, per workload and atomic action
--runs N        baseline runs to compare with, and runs each trends point is judged against
                (default: the settings' baseline.runs, 5)
--branch NAME   only runs measured on this branch
--fingerprint H only runs of this cloud fingerprint (or its first 8+ characters); default: the
                newest run's
--last N        (trends) only the newest N runs
--settings FILE gate settings for thresholds, overrides and waivers (default: the gate's defaults)`;

/** A results folder stands for its task.json; anything else is read as a Rally JSON file. */
async function reportFile(input: string): Promise<{ file: string; folder: boolean }> {
  try {
    if ((await stat(input)).isDirectory()) return { file: join(input, 'task.json'), folder: true };
  } catch {
    throw new InputError('no such file or folder', { file: input });
  }
  return { file: input, folder: false };
}

function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new InputError(`report: --${option} takes a positive whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** A task read from JSON, summarised like a gate run (durations per workload and atomic action). */
export function summarizeLoadedTask(task: LoadedTaskRecord, file: string): BaselineRun {
  return {
    format: BASELINE_FORMAT,
    id: `report-${task.uuid}`,
    commit: 'current',
    branch: 'current',
    time: new Date().toISOString(),
    fingerprint: '',
    workloads: task.subtasks.flatMap((subtask) =>
      subtask.workloads.map((workload) => ({
        hash: workloadHash(workload.config),
        task: file,
        subtask: subtask.config.title,
        scenario: scenarioName(workload.config),
        position: workload.summary.position,
        ...summarizeIterations(workload.iterations),
        sla: workload.summary.slaResults,
        passSla: workload.summary.passSla,
      })),
    ),
  };
}

interface StoreFilter {
  branch?: string;
  fingerprint?: string;
}

/** The fingerprint to read: the one asked for, else the newest run's (a store may hold several clouds). */
async function chosenFingerprint(store: BaselineStore, filter: StoreFilter): Promise<string | undefined> {
  if (filter.fingerprint !== undefined) return filter.fingerprint;
  const entries = filterRuns(await store.list(), filter.branch === undefined ? {} : { branch: filter.branch });
  return entries[entries.length - 1]?.fingerprint;
}

async function compareWithBaseline(task: LoadedTaskRecord, file: string, store: BaselineStore, settings: GateSettings, runs: number, filter: StoreFilter): Promise<{ comparison: HtmlComparison; note: string }> {
  const fingerprint = await chosenFingerprint(store, filter);
  const baselineRuns = fingerprint === undefined ? [] : (await readTrendRuns(store, { ...filter, fingerprint, last: runs, window: 0 })).reverse();
  const current = summarizeLoadedTask(task, file);
  const judgement = judge(current, baselineRuns, settings);
  const label = `${describeBaselineRuns(baselineRuns)} from ${store.description}`;
  const comparison = buildHtmlComparison({ judgement, current, baselineRuns, tasks: [{ file, subtasks: task.subtasks }], baselineLabel: label });
  const note = fingerprint === undefined ? `no runs in ${store.description}` : `${label}, cloud fingerprint ${fingerprint.slice(0, 12)}; ${judgement.passed ? 'no regression' : 'regression, new failures or an SLA failure'}`;
  return { comparison, note };
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('report', argv, {
    out: { type: 'string', short: 'o' },
    title: { type: 'string' },
    baseline: { type: 'string' },
    'baseline-store': { type: 'string' },
    trends: { type: 'boolean' },
    runs: { type: 'string' },
    branch: { type: 'string' },
    fingerprint: { type: 'string' },
    last: { type: 'string' },
    settings: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${REPORT_USAGE}\n`);
    return ExitCode.ok;
  }
  if (values.baseline !== undefined && values['baseline-store'] !== undefined && values.baseline !== values['baseline-store']) {
    throw new InputError('report: --baseline and --baseline-store name the same thing; give one');
  }
  const storeSpec = values.baseline ?? values['baseline-store'];
  const settings = values.settings === undefined ? defaultSettings('rally-jobs/gate.yaml') : loadSettings(values.settings);
  const runs = positiveInteger('runs', values.runs) ?? settings.baselineRuns;
  const last = positiveInteger('last', values.last);
  const filter: StoreFilter = {
    ...(values.branch !== undefined ? { branch: values.branch } : {}),
    ...(values.fingerprint !== undefined ? { fingerprint: values.fingerprint } : {}),
  };
  const store = storeSpec === undefined ? undefined : openBaselineStore(storeSpec);
  try {
    if (values.trends) {
      if (!store) throw new InputError('report --trends: name the baseline store with --baseline-store DIR|URL|git:REMOTE[#BRANCH[:PATH]]');
      if (positionals.length > 0) throw new InputError('report --trends reads the baseline store only; give no INPUT');
      const fingerprint = await chosenFingerprint(store, filter);
      const history = fingerprint === undefined ? [] : await readTrendRuns(store, { ...filter, fingerprint, window: runs, ...(last !== undefined ? { last } : {}) });
      const out = values.out ?? 'trends.html';
      const source = [store.description, values.branch ? `branch ${values.branch}` : '', fingerprint ? `cloud ${fingerprint.slice(0, 12)}` : ''].filter(Boolean).join(', ');
      const data = await writeTrendsReport(history, out, {
        settings,
        window: runs,
        source,
        ...(last !== undefined ? { show: last } : {}),
        ...(values.title !== undefined ? { title: values.title } : {}),
      });
      const flagged = data.workloads.reduce((n, w) => n + w.series.reduce((m, s) => m + s.changes.length, 0), 0);
      process.stdout.write(`trends: ${out} (${data.runs.length} run${data.runs.length === 1 ? '' : 's'}, ${data.workloads.length} workload${data.workloads.length === 1 ? '' : 's'}, ${flagged} flagged change${flagged === 1 ? '' : 's'}; ${source})\n`);
      return ExitCode.ok;
    }

    if (positionals.length === 0) throw new InputError('report: expected at least one results folder or Rally JSON file', undefined, undefined, ['run "rally-gate report --help" for usage']);
    const inputs = await Promise.all(positionals.map(reportFile));
    const tasks: LoadedTaskRecord[] = [];
    for (const input of inputs) tasks.push(...(await readRallyJson(input.file)).tasks);
    if (tasks.length === 0) throw new InputError('report: the input holds no task');

    const onlyFolder = inputs.length === 1 && inputs[0]!.folder ? positionals[0]! : undefined;
    const out = values.out ?? (onlyFolder ? join(onlyFolder, 'report.html') : 'report.html');
    const compared = store ? await compareWithBaseline(tasks[0]!, inputs[0]!.file, store, settings, runs, filter) : undefined;
    await writeHtmlReport(tasks, out, {
      ...(values.title !== undefined ? { title: values.title } : {}),
      ...(compared ? { comparison: compared.comparison } : {}),
    });
    const passed = tasks.every((t) => t.passSla);
    process.stdout.write(`report: ${out} (${tasks.length} task${tasks.length === 1 ? '' : 's'}, ${passed ? 'all SLA criteria passed' : 'an SLA criterion failed'})\n`);
    if (compared) process.stdout.write(`baseline: ${compared.note}\n`);
    return ExitCode.ok;
  } finally {
    if (store instanceof GitBaselineStore) await store.close();
  }
}
