/**
 * A baseline store in a directory (a CI cache, an artifact folder, a log server's tree):
 *   <dir>/runs/<run id>.json   one BaselineRun per trusted gate run, never modified
 *   <dir>/index.json           BaselineIndex of every run, rebuilt after each write (for URL readers)
 * Every file is written to a temporary name in the same directory and renamed, so a reader never sees
 * half a file. Readers list runs/ itself; index.json is only a convenience for HTTP readers, and a
 * lost race between two writers at worst leaves one run out of it until the next write.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InfraError } from '../common/errors.js';
import { parseBaselineRun } from './parse.js';
import { BASELINE_FORMAT, type BaselineIndex, type BaselineIndexEntry, type BaselineRun, type BaselineStore } from './types.js';

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function indexEntry(file: string, run: BaselineRun): BaselineIndexEntry {
  return { file, id: run.id, commit: run.commit, branch: run.branch, time: run.time, fingerprint: run.fingerprint };
}

/** Reads every run document under `runsDir` into index entries, oldest first. */
export async function scanRuns(root: string): Promise<BaselineIndexEntry[]> {
  let names: string[];
  try {
    names = await readdir(join(root, 'runs'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: BaselineIndexEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = `runs/${name}`;
    const run = parseBaselineRun(await readFile(join(root, file), 'utf8'), join(root, file));
    entries.push(indexEntry(file, run));
  }
  return entries.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}

export function renderIndex(entries: readonly BaselineIndexEntry[]): string {
  const index: BaselineIndex = { format: BASELINE_FORMAT, runs: [...entries] };
  return `${JSON.stringify(index, null, 1)}\n`;
}

export class DirectoryBaselineStore implements BaselineStore {
  readonly description: string;
  constructor(readonly root: string) {
    this.description = `directory ${root}`;
  }

  list(): Promise<BaselineIndexEntry[]> {
    return scanRuns(this.root);
  }

  async load(entry: BaselineIndexEntry): Promise<BaselineRun> {
    const file = join(this.root, entry.file);
    return parseBaselineRun(await readFile(file, 'utf8'), file);
  }

  async write(run: BaselineRun): Promise<string> {
    try {
      await mkdir(join(this.root, 'runs'), { recursive: true });
      const file = join(this.root, 'runs', `${run.id}.json`);
      await writeFileAtomic(file, `${JSON.stringify(run)}\n`);
      await writeFileAtomic(join(this.root, 'index.json'), renderIndex(await scanRuns(this.root)));
      return file;
    } catch (error) {
      throw new InfraError(`cannot write the baseline to ${this.description}: ${(error as Error).message}`, { cause: error });
    }
  }
}
