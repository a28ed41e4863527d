/**
 * A read-only baseline store behind HTTP(S): a directory store published as is (e.g. on a log
 * server). GET <url>/index.json, then GET <url>/<entry.file> for the runs the gate needs.
 */
import { InfraError } from '../common/errors.js';
import { parseBaselineIndex, parseBaselineRun } from './parse.js';
import type { BaselineIndexEntry, BaselineRun, BaselineStore } from './types.js';

export class UrlBaselineStore implements BaselineStore {
  readonly description: string;
  private readonly base: string;
  constructor(url: string, private readonly timeoutMs = 30_000) {
    this.base = url.endsWith('/') ? url : `${url}/`;
    this.description = `URL ${this.base}`;
  }

  private async get(relative: string): Promise<string | undefined> {
    const url = new URL(relative, this.base).toString();
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new InfraError(`cannot read the baseline at ${url}: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new InfraError(`cannot read the baseline at ${url}: HTTP ${response.status}`);
    return response.text();
  }

  async list(): Promise<BaselineIndexEntry[]> {
    const text = await this.get('index.json');
    if (text === undefined) return []; // no baseline published yet
    return parseBaselineIndex(text, `${this.base}index.json`).runs;
  }

  async load(entry: BaselineIndexEntry): Promise<BaselineRun> {
    const text = await this.get(entry.file);
    if (text === undefined) throw new InfraError(`baseline ${this.base}${entry.file} is listed in index.json but missing`);
    return parseBaselineRun(text, `${this.base}${entry.file}`);
  }
}
