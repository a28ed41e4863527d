/**
 * `rally-gate run` end to end, as a CI job runs it: baseline runs on a trusted ref into a directory
 * store, then a pull request run against a cloud that got slower. Needs the build (npm test builds
 * first). The "cloud" is a local HTTP server whose latency the test controls, because a slower sleep
 * given by task args changes the workload's config, hence its hash: the gate then (rightly) calls it a
 * new workload with not enough data, which this test checks too.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';


/** The test says what the ref is: nothing leaks in from the host's CI. */
const cli = (args: string[], cwd: string) => runCli(args, { cwd, withoutCiEnv: true });

let delayMs = 200;
let server: Server;
let url = '';
const work = mkdtempSync(join(tmpdir(), 'rally-gate-gate-run-'));
const store = join(work, 'store');

beforeAll(async () => {
  server = createServer((_request, response) => setTimeout(() => response.end('ok'), delayMs));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  writeFileSync(
    join(work, 'task.yaml'),
    `{% set sleep = sleep | default(0.01) %}
version: 2
title: gate integration
subtasks:
  - title: the API
    workloads:
      - scenario:
          HttpRequests.check_request: {url: "${url}", method: GET, status_code: 200}
        runner:
          constant: {times: 20, concurrency: 5}
  - title: a sleep set by task args
    workloads:
      - scenario:
          Dummy.dummy: {sleep: {{ sleep }}}
        runner:
          constant: {times: 20, concurrency: 4}
`,
  );
  writeFileSync(
    join(work, 'gate.yaml'),
    `version: 1
tasks:
  - file: ${join(work, 'task.yaml')}
baseline:
  store: {directory: ${store}}
  runs: 5
`,
  );
  writeFileSync(join(work, 'gate-pr.yaml'), readFileSync(join(work, 'gate.yaml'), 'utf8').replace(/- file: (.*)\n/, '- file: $1\n    args: {sleep: 0.02}\n'));
});

afterAll(() => server?.close());

describe('rally-gate run', () => {
  it('stores baselines from trusted runs, flags a slower PR run, and a PR run cannot write the store', async () => {
    for (const commit of ['aaaa111', 'bbbb222', 'cccc333']) {
      const trusted = await cli(['run', '--settings', 'gate.yaml', '--out', `out-${commit}`, '--no-progress', '--store-baseline', '--event', 'push', '--branch', 'main', '--commit', commit], work);
      expect(trusted.stderr).not.toMatch(/error/i);
      // 0, or 1 when a busy host made a trusted run itself look slower than the one before: it is stored either way
      expect([0, 1]).toContain(trusted.code);
      expect(trusted.stdout).toMatch(/baseline store: stored as/);
    }
    expect(readdirSync(join(store, 'runs'))).toHaveLength(3);

    // The cloud got 4 times slower. Latencies far above the host's own overhead, and a large change,
    // keep this test meaningful on a loaded CI host (2 shared cores), where tens of ms come and go.
    delayMs = 800;
    const pr = await cli(['run', '--settings', 'gate-pr.yaml', '--out', 'out-pr', '--no-progress', '--store-baseline', '--event', 'pull_request', '--commit', 'dddd444'], work);
    expect(pr.code).toBe(1);
    expect(pr.stdout).toMatch(/baseline store: not stored: a pull request/);
    expect(readdirSync(join(store, 'runs'))).toHaveLength(3);

    const out = join(work, 'out-pr');
    const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8'));
    expect(verdict.passed).toBe(false);
    expect(verdict.exitCode).toBe(1);
    const api = verdict.comparisons.find((c: { workload: { scenario: string }; action?: string }) => c.workload.scenario === 'HttpRequests.check_request' && c.action === undefined);
    expect(api.kind).toBe('regression');
    expect(api.baselineRuns).toBe(3);
    expect(api.ratio).toBeGreaterThan(2);
    // the sleep changed through task args: another workload config, so no baseline to compare with
    const dummy = verdict.comparisons.find((c: { workload: { scenario: string }; action?: string }) => c.workload.scenario === 'Dummy.dummy' && c.action === undefined);
    expect(dummy.kind).toBe('not-enough-data');

    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/rally-gate: failed\*\*: 2 regressions/); // the workload and its one atomic action
    expect(summary).toMatch(/HttpRequests\\\.check\\_request\\\[0\\\] \| the API \| .* :x: regression \|/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('name="rally-gate verdicts"');
    expect(junit).toMatch(/<testcase classname="HttpRequests.check_request" name="HttpRequests.check_request\[0\].baseline" time="0">\s*<failure message="regression/);
    expect(readdirSync(join(out, 'tasks'))).toEqual(['1-task']);
    expect(readdirSync(join(out, 'tasks', '1-task'))).toContain('task.json');
    // the HTML report shows the comparison with the baseline the verdicts used
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-section="baseline-comparison"');
    expect(html).toContain('3 runs');
  }, 120_000);

  it('exits 2 with file:line for invalid settings, before running anything', async () => {
    writeFileSync(join(work, 'bad.yaml'), 'version: 1\nthresholds:\n  confidence: 2\n');
    const run = await cli(['run', '--settings', 'bad.yaml', '--out', 'out-bad'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml:3:15: thresholds\.confidence: must be < 1/);
  });
});
