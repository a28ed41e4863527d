import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryBaselineStore } from '../../../src/baseline/store-directory.js';
import { GitBaselineStore } from '../../../src/baseline/store-git.js';
import { UrlBaselineStore } from '../../../src/baseline/store-url.js';
import { BASELINE_FORMAT, type BaselineRun } from '../../../src/baseline/types.js';

function run(id: string, time: string, commit = 'c0ffee'): BaselineRun {
  return { format: BASELINE_FORMAT, id, commit, branch: 'main', time, fingerprint: 'fp', workloads: [] };
}

const temp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('DirectoryBaselineStore', () => {
  it('writes runs/<id>.json and index.json atomically (no temporary files left) and reads them back oldest first', async () => {
    const dir = temp('rg-dir-store-');
    const store = new DirectoryBaselineStore(dir);
    expect(await store.list()).toEqual([]);
    await store.write(run('b', '2026-01-02T00:00:00Z'));
    await store.write(run('a', '2026-01-01T00:00:00Z'));
    const entries = await store.list();
    expect(entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect((await store.load(entries[1]!)).time).toBe('2026-01-02T00:00:00Z');
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['a.json', 'b.json']);
    expect(readdirSync(dir).sort()).toEqual(['index.json', 'runs']);
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    expect(index.runs.map((e: { file: string }) => e.file)).toEqual(['runs/a.json', 'runs/b.json']);
  });

  it('refuses a file that is not a baseline run', async () => {
    const dir = temp('rg-dir-bad-');
    const store = new DirectoryBaselineStore(dir);
    await store.write(run('a', '2026-01-01T00:00:00Z'));
    writeFileSync(join(dir, 'runs', 'z.json'), '{"hello": 1}');
    await expect(store.list()).rejects.toThrow(/not a rally-gate baseline run/);
  });
});

describe('GitBaselineStore (against a local bare repository)', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

  it('creates the branch, appends runs without rewriting history, and survives two writers racing', async () => {
    const bare = temp('rg-bare-');
    git(bare, 'init', '--quiet', '--bare');
    const first = new GitBaselineStore({ remote: bare, branch: 'baselines', path: 'perf' });
    expect(await first.list()).toEqual([]);
    await first.close();

    await new GitBaselineStore({ remote: bare, branch: 'baselines', path: 'perf' }).write(run('r1', '2026-01-01T00:00:00Z'));
    const tipAfterFirst = git(bare, 'rev-parse', 'baselines').trim();

    // Two jobs push at the same time: one push is refused and redone on the new tip.
    const a = new GitBaselineStore({ remote: bare, branch: 'baselines', path: 'perf' });
    const b = new GitBaselineStore({ remote: bare, branch: 'baselines', path: 'perf' });
    await Promise.all([a.write(run('r2', '2026-01-02T00:00:00Z')), b.write(run('r3', '2026-01-03T00:00:00Z'))]);

    const reader = new GitBaselineStore({ remote: bare, branch: 'baselines', path: 'perf' });
    const entries = await reader.list();
    expect(entries.map((e) => e.id)).toEqual(['r1', 'r2', 'r3']);
    expect((await reader.load(entries[2]!)).time).toBe('2026-01-03T00:00:00Z');
    await reader.close();

    // Linear history on top of the first commit: nothing was rewritten.
    const log = git(bare, 'rev-list', 'baselines').trim().split('\n');
    expect(log).toHaveLength(3);
    expect(log[2]).toBe(tipAfterFirst);
    const index = JSON.parse(git(bare, 'show', 'baselines:perf/index.json'));
    expect(index.runs.map((e: { id: string }) => e.id)).toEqual(['r1', 'r2', 'r3']);
  }, 60_000);
});

describe('UrlBaselineStore (against a local HTTP server)', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it('reads index.json and the runs a directory store published; has no write', async () => {
    const dir = temp('rg-url-store-');
    const writer = new DirectoryBaselineStore(dir);
    await writer.write(run('a', '2026-01-01T00:00:00Z'));
    await writer.write(run('b', '2026-01-02T00:00:00Z'));
    const requests: string[] = [];
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^\/logs\//, '');
      try {
        response.end(readFileSync(join(dir, path)));
      } catch {
        response.statusCode = 404;
        response.end('not found');
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const store = new UrlBaselineStore(`http://127.0.0.1:${port}/logs`);
    expect((store as Partial<{ write: unknown }>).write).toBeUndefined();
    const entries = await store.list();
    expect(entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect((await store.load(entries[0]!)).id).toBe('a');
    expect(requests).toEqual(['/logs/index.json', '/logs/runs/a.json']);

    expect(await new UrlBaselineStore(`http://127.0.0.1:${port}/nothing-here`).list()).toEqual([]);
  });
});
