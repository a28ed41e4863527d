/**
 * The trends report over a baseline store: `writeTrendsReport(runs, out, options)` for callers that
 * hold the runs, `readTrendRuns(store, filter)` to load them, `openBaselineStore(spec)` for a store
 * named on the command line. Trends read the store's run summaries only, never task reports.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DirectoryBaselineStore } from '../../baseline/store-directory.js';
import { GitBaselineStore } from '../../baseline/store-git.js';
import { UrlBaselineStore } from '../../baseline/store-url.js';
import type { BaselineRun, BaselineStore } from '../../baseline/types.js';
import { InputError } from '../../common/errors.js';
import { defaultSettings, type GateSettings } from '../../gate/settings.js';
import { writeTrendsPage, type TrendsPageOptions } from '../html/trends.js';
import { buildTrends, filterRuns, type TrendsData, type TrendsFilter } from './data.js';

export { buildTrends, filterRuns, type TrendsData, type TrendsFilter } from './data.js';

/**
 * A store named on the command line: a directory, an http(s) URL (read-only), or
 * `git:REMOTE[#BRANCH[:PATH]]` (default branch rally-gate-baselines; BRANCH cannot hold ':', git refuses it).
 */
export function openBaselineStore(spec: string): BaselineStore {
  if (spec === '') throw new InputError('the baseline store is empty: give a directory, an http(s) URL or git:REMOTE[#BRANCH[:PATH]]');
  if (/^https?:\/\//i.test(spec)) return new UrlBaselineStore(spec);
  if (spec.startsWith('git:')) {
    const rest = spec.slice('git:'.length);
    const hash = rest.lastIndexOf('#');
    const remote = hash < 0 ? rest : rest.slice(0, hash);
    const [branch, ...path] = hash < 0 ? [] : rest.slice(hash + 1).split(':');
    if (remote === '') throw new InputError(`baseline store ${JSON.stringify(spec)}: git: needs a remote (git:REMOTE[#BRANCH[:PATH]])`);
    return new GitBaselineStore({ remote, ...(branch ? { branch } : {}), ...(path.length ? { path: path.join(':') } : {}) });
  }
  // A mistyped directory would read as an empty history: say so instead.
  if (!existsSync(spec)) throw new InputError(`no baseline store at ${spec}: give an existing directory, an http(s) URL or git:REMOTE[#BRANCH[:PATH]]`);
  return new DirectoryBaselineStore(resolve(spec));
}

export interface ReadTrendRunsOptions extends TrendsFilter {
  /** runs each shown run is judged against: that many older runs are loaded too (default 5) */
  window?: number;
}

/** The runs a trends page needs, oldest first: the filtered ones, plus `window` older ones when `last` cuts the history. */
export async function readTrendRuns(store: BaselineStore, options: ReadTrendRunsOptions = {}): Promise<BaselineRun[]> {
  const { last, window = 5, ...filter } = options;
  const entries = filterRuns(await store.list(), filter);
  const wanted = last !== undefined && last > 0 ? entries.slice(-(last + window)) : entries;
  const runs: BaselineRun[] = [];
  for (const entry of wanted) runs.push(await store.load(entry));
  return runs;
}

export interface TrendsReportOptions extends TrendsPageOptions {
  /** thresholds, overrides and waivers for the marks (default: the gate's defaults) */
  settings?: GateSettings;
  /** earlier runs each run is judged against (default settings.baselineRuns) */
  window?: number;
  /** show only the newest N runs (older ones given are baselines only) */
  show?: number;
  /** bootstrap replicates per comparison (default 1000) */
  replicates?: number;
}

/** Shapes the runs into trends and writes the page; returns the data (for a summary line). */
export async function writeTrendsReport(runs: readonly BaselineRun[], out: string, options: TrendsReportOptions = {}): Promise<TrendsData> {
  const { settings = defaultSettings('rally-jobs/gate.yaml'), window, show, replicates, ...page } = options;
  const data = buildTrends(runs, {
    settings,
    ...(window !== undefined ? { window } : {}),
    ...(show !== undefined ? { show } : {}),
    ...(replicates !== undefined ? { replicates } : {}),
  });
  await writeTrendsPage(data, out, page);
  return data;
}
