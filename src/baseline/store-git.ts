/**
 * A baseline store on a git branch (like gh-pages): the branch holds the directory store's layout
 * (runs/<id>.json + index.json) under `path`. Writing fetches the branch tip, adds one new file,
 * rebuilds the index, commits and pushes without force; when another job pushed first the push is
 * refused, and the whole step is redone on the new tip (no rebase, no merge, no history rewritten).
 * Uses the git CLI, so the job's own credentials (SSH agent, credential helper, token in the URL) apply.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InfraError } from '../common/errors.js';
import { parseBaselineRun } from './parse.js';
import { indexEntry, renderIndex, scanRuns, writeFileAtomic } from './store-directory.js';
import type { BaselineIndexEntry, BaselineRun, BaselineStore } from './types.js';

const run = promisify(execFile);

export interface GitStoreOptions {
  /** remote URL or path of the repository */
  remote: string;
  /** branch holding the baselines (default rally-gate-baselines) */
  branch?: string;
  /** folder inside the branch (default: the branch root) */
  path?: string;
  /** push attempts before giving up (default 5) */
  attempts?: number;
  /** commit author (default rally-gate <rally-gate@localhost>) */
  author?: { name: string; email: string };
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return stdout;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class GitBaselineStore implements BaselineStore {
  readonly description: string;
  private readonly branch: string;
  private readonly folder: string;
  private checkout: Promise<string | undefined> | undefined;

  constructor(private readonly options: GitStoreOptions) {
    this.branch = options.branch ?? 'rally-gate-baselines';
    this.folder = (options.path ?? '').replace(/^\/+|\/+$/g, '');
    this.description = `git branch ${this.branch} of ${options.remote}${this.folder ? ` (${this.folder}/)` : ''}`;
  }

  /** A fresh working copy of the branch tip, or an empty one when the branch does not exist yet. */
  private async freshCheckout(): Promise<{ dir: string; exists: boolean }> {
    const dir = await mkdtemp(join(tmpdir(), 'rally-gate-baseline-'));
    await git(dir, ['init', '--quiet']);
    await git(dir, ['remote', 'add', 'origin', this.options.remote]);
    const heads = await git(dir, ['ls-remote', '--heads', 'origin', this.branch]);
    const exists = heads.trim() !== '';
    if (exists) {
      await git(dir, ['fetch', '--quiet', '--depth=1', 'origin', `refs/heads/${this.branch}`]);
      await git(dir, ['checkout', '--quiet', '-B', this.branch, 'FETCH_HEAD']);
    } else {
      await git(dir, ['checkout', '--quiet', '--orphan', this.branch]);
    }
    return { dir, exists };
  }

  private root(dir: string): string {
    return this.folder ? join(dir, this.folder) : dir;
  }

  /** Reads share one checkout per store object (one gate run). */
  private readCheckout(): Promise<string | undefined> {
    this.checkout ??= this.freshCheckout().then(
      async ({ dir, exists }) => {
        if (exists) return dir;
        await rm(dir, { recursive: true, force: true });
        return undefined;
      },
      (error: Error) => {
        throw new InfraError(`cannot read the baseline from ${this.description}: ${error.message}`, { cause: error });
      },
    );
    return this.checkout;
  }

  async list(): Promise<BaselineIndexEntry[]> {
    const dir = await this.readCheckout();
    return dir === undefined ? [] : scanRuns(this.root(dir));
  }

  async load(entry: BaselineIndexEntry): Promise<BaselineRun> {
    const dir = await this.readCheckout();
    if (dir === undefined) throw new InfraError(`${this.description} has no baselines`);
    const file = join(this.root(dir), entry.file);
    return parseBaselineRun(await readFile(file, 'utf8'), file);
  }

  async write(baseline: BaselineRun): Promise<string> {
    const attempts = this.options.attempts ?? 5;
    const author = this.options.author ?? { name: 'rally-gate', email: 'rally-gate@localhost' };
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let dir: string | undefined;
      try {
        const checkout = await this.freshCheckout();
        dir = checkout.dir;
        const root = this.root(dir);
        await mkdir(join(root, 'runs'), { recursive: true });
        const relative = `runs/${baseline.id}.json`;
        await writeFileAtomic(join(root, relative), `${JSON.stringify(baseline)}\n`);
        const entries = await scanRuns(root);
        if (!entries.some((e) => e.id === baseline.id)) entries.push(indexEntry(relative, baseline));
        await writeFileAtomic(join(root, 'index.json'), renderIndex(entries));
        await git(dir, ['add', '--all', '--', this.folder || '.']);
        await git(dir, [
          '-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`, '-c', 'commit.gpgsign=false',
          'commit', '--quiet', '-m', `rally-gate baseline ${baseline.id} (${baseline.branch}@${baseline.commit.slice(0, 12)})`,
        ]);
        // Never --force: a refused push means someone else added a run; start again from their tip.
        await git(dir, ['push', '--quiet', 'origin', `HEAD:refs/heads/${this.branch}`]);
        return `${this.folder ? `${this.folder}/` : ''}${relative}`;
      } catch (error) {
        lastError = error;
        await sleep(200 * attempt + Math.floor(Math.random() * 300));
      } finally {
        if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      }
    }
    throw new InfraError(`cannot push the baseline to ${this.description} after ${attempts} attempts: ${(lastError as Error)?.message ?? lastError}`);
  }

  /** Removes the read checkout (call when done). */
  async close(): Promise<void> {
    const dir = await this.checkout?.catch(() => undefined);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    this.checkout = undefined;
  }
}
