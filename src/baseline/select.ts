/**
 * Which stored runs form the baseline of a run: the last N runs on the same cloud fingerprint whose
 * commit is at or before the pull request's merge base (so a PR is compared with what it branched
 * from, and the noise between runs is seen in N samples, not guessed from one). Without ancestry
 * information it falls back to the last N runs by time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BaselineIndexEntry, BaselineRun, BaselineStore } from './types.js';

const run = promisify(execFile);

export interface BaselineSelection {
  runs: BaselineRun[];
  /** how the runs were chosen */
  method: 'ancestry' | 'time';
  /** the merge base used, when known */
  mergeBase?: string;
  /** runs left out because they measured another cloud */
  otherFingerprints: number;
}

export interface SelectOptions {
  fingerprint: string;
  /** how many runs (N) */
  count: number;
  /**
   * commits at or before the merge base, newest first (e.g. `git rev-list <merge-base>`); a run
   * matches when its commit is in the list (full or abbreviated hash)
   */
  ancestors?: readonly string[];
  mergeBase?: string;
}

function commitIndex(ancestors: readonly string[]): (commit: string) => number {
  const positions = new Map<string, number>();
  for (const [i, full] of ancestors.entries()) positions.set(full, i);
  return (commit) => {
    const exact = positions.get(commit);
    if (exact !== undefined) return exact;
    if (commit.length < 7) return -1;
    const found = ancestors.findIndex((full) => full.startsWith(commit));
    return found;
  };
}

/** Picks the entries (pure, for tests): newest first by ancestry position, then time. */
export function pickBaselineEntries(entries: readonly BaselineIndexEntry[], options: SelectOptions): { chosen: BaselineIndexEntry[]; otherFingerprints: number } {
  const sameCloud = entries.filter((e) => e.fingerprint === options.fingerprint);
  const otherFingerprints = entries.length - sameCloud.length;
  const byTimeNewestFirst = [...sameCloud].sort((a, b) => b.time.localeCompare(a.time) || b.id.localeCompare(a.id));
  if (options.ancestors === undefined) return { chosen: byTimeNewestFirst.slice(0, options.count), otherFingerprints };
  const position = commitIndex(options.ancestors);
  const eligible = byTimeNewestFirst
    .map((entry) => ({ entry, at: position(entry.commit) }))
    .filter((e) => e.at >= 0)
    .sort((a, b) => a.at - b.at); // stable: same commit keeps newest-first time order
  return { chosen: eligible.slice(0, options.count).map((e) => e.entry), otherFingerprints };
}

export async function selectBaseline(store: BaselineStore, options: SelectOptions): Promise<BaselineSelection> {
  const entries = await store.list();
  const { chosen, otherFingerprints } = pickBaselineEntries(entries, options);
  const runs: BaselineRun[] = [];
  for (const entry of chosen) runs.push(await store.load(entry));
  return {
    runs,
    method: options.ancestors === undefined ? 'time' : 'ancestry',
    ...(options.mergeBase !== undefined ? { mergeBase: options.mergeBase } : {}),
    otherFingerprints,
  };
}

/**
 * The merge base of `head` and `base` in the repository at `cwd` and its ancestors (newest first,
 * at most `max`); undefined when git cannot tell (no repo, shallow clone without the base, ...).
 */
export async function gitAncestry(cwd: string, base: string, head = 'HEAD', max = 5000): Promise<{ mergeBase: string; ancestors: string[] } | undefined> {
  try {
    const mergeBase = (await run('git', ['merge-base', head, base], { cwd })).stdout.trim();
    if (!/^[0-9a-f]{7,64}$/.test(mergeBase)) return undefined;
    const list = (await run('git', ['rev-list', `--max-count=${max}`, mergeBase], { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
    return { mergeBase, ancestors: list.split('\n').filter((l) => l !== '') };
  } catch {
    return undefined;
  }
}
