/**
 * The trends page and the baseline comparison in a real browser. Five trusted `rally-gate run`s store
 * baselines in a temporary directory store (the HTTP "cloud" gets slower for the last one, and the
 * last one adds a workload), then `rally-gate report --trends` renders the store's history and
 * `rally-gate report DIR --baseline STORE` a pull request's results compared with it. Both pages open
 * from file:// in headless Chromium with every network request refused. Needs the build (npm test
 * builds first) and Debian's chromium; skips with a message without it.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CHROMIUM, hasChromium, launchOffline, paintedPixels, recordErrors } from '../support/chromium.js';

if (!hasChromium) console.warn(`trends-report.test.ts: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** The test says what the ref is: nothing leaks in from the host's CI. */
const cli = (args: string[], cwd: string) => runCli(args, { cwd, withoutCiEnv: true });

const work = mkdtempSync(join(tmpdir(), 'rally-gate-trends-it-'));
const store = join(work, 'store');
let delayMs = 20;
let server: Server;

describe.skipIf(!hasChromium)('trends page and baseline comparison in headless Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  const consoleErrors: string[] = [];
  let blockedRequests: string[] = [];

  beforeAll(async () => {
    server = createServer((_request, response) => setTimeout(() => response.end('ok'), delayMs));
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    // Same config every run (so the same workload hash); the last trusted run adds a workload.
    writeFileSync(join(work, 'task.yaml'), `{% set extra = extra | default(false) %}
version: 2
title: trends integration
subtasks:
  - title: the API
    workloads:
      - scenario:
          HttpRequests.check_request: {url: "${url}", method: GET, status_code: 200}
        runner:
          constant: {times: 20, concurrency: 4}
  - title: timed actions
    workloads:
      - scenario:
          Dummy.dummy_timed_atomic_actions: {number_of_actions: 3, sleep_factor: 0.004}
        runner:
          constant: {times: 20, concurrency: 4}
{% if extra %}
  - title: added later
    workloads:
      - scenario:
          Dummy.dummy: {sleep: 0.005}
        runner:
          constant: {times: 10, concurrency: 2}
{% endif %}
`);
    const gate = (args: string) => `version: 1\ntasks:\n  - file: ${join(work, 'task.yaml')}\n    args: ${args}\nbaseline:\n  store: {directory: ${store}}\n  runs: 5\n`;
    writeFileSync(join(work, 'gate.yaml'), gate('{extra: false}'));
    writeFileSync(join(work, 'gate-extra.yaml'), gate('{extra: true}'));

    // Four runs at 20 ms, then a commit that makes the API 20x slower (and adds a workload): on a busy
    // shared machine the requests' own noise between runs is large, so the change must be larger.
    const commits = ['c1000001', 'c1000002', 'c1000003', 'c1000004', 'c1000005'];
    for (const [i, commit] of commits.entries()) {
      delayMs = i === 4 ? 400 : 20;
      const run = await cli(['run', '--settings', i === 4 ? 'gate-extra.yaml' : 'gate.yaml', '--out', `out-${commit}`, '--no-progress', '--store-baseline', '--event', 'push', '--branch', 'main', '--commit', commit], work);
      expect([0, 1], run.stderr).toContain(run.code);
      expect(run.stdout).toContain('stored as');
    }
    // A pull request on the slow cloud: compared, not stored.
    const pr = await cli(['run', '--settings', 'gate.yaml', '--out', 'out-pr', '--no-progress', '--event', 'pull_request', '--branch', 'feature', '--commit', 'c2000001'], work);
    expect([0, 1], pr.stderr).toContain(pr.code);
    expect(readdirSync(join(store, 'runs'))).toHaveLength(5);

    ({ browser, context, blockedRequests } = await launchOffline());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    console.log(`trends-report.test.ts: store, pages and screenshots in ${work}`);
  });

  async function open(file: string): Promise<Page> {
    const page = await context.newPage();
    recordErrors(page, consoleErrors);
    await page.goto(`file://${file}`);
    return page;
  }

  it('renders the store\'s trends: every workload charted, the slowdown marked, a table for the one-run workload', async () => {
    const trendsFile = join(work, 'trends.html');
    const made = await cli(['report', '--trends', '--baseline-store', store, '--out', trendsFile], work);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/trends: .*trends\.html \(5 runs, 3 workloads/);

    const page = await open(trendsFile);
    expect(await page.locator('nav.workloads a[href^="#t"]').count()).toBe(3);
    await page.screenshot({ path: join(work, 'trends-overview.png'), fullPage: true });

    const links = await page.locator('nav.workloads a[href^="#t"]').all();
    for (const [i, link] of links.entries()) {
      await link.click();
      const id = (await link.getAttribute('href'))!.slice(1);
      const tab = page.locator(`#${id}`);
      await tab.waitFor({ state: 'visible' });
      const charts = await tab.locator('.chart[data-chart="trend"]').count();
      if ((await tab.locator('h2').textContent()) === 'Dummy.dummy') {
        // only the last run has it: figures in a table, no chart
        expect(charts).toBe(0);
        await tab.getByText('Only one run has this workload so far').waitFor();
        expect(await tab.locator('table').first().textContent()).toContain('total');
      } else {
        expect(charts).toBeGreaterThanOrEqual(1);
        expect(await tab.locator('canvas').count()).toBe(charts);
        for (const painted of await paintedPixels(page, `#${id} canvas`)) expect(painted).toBeGreaterThan(500);
      }
      await page.screenshot({ path: join(work, `trends-workload-${i + 1}.png`), fullPage: true });
    }

    // The API got slower at the fifth run: flagged there, and the mark is in the chart data.
    await page.locator('nav.workloads a', { hasText: 'HttpRequests.check_request' }).click();
    const api = page.locator('.tab.active');
    expect(await api.locator('table', { hasText: 'Against runs' }).textContent()).toMatch(/#5 .*regression/s);
    const marked = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById('report-data')!.textContent!);
      const w = data.workloads.find((x: { id: string }) => x.id === document.querySelector('.tab.active')!.id);
      return w.charts[0].columns.series.find((s: { label: string }) => s.label === 'regression').values;
    });
    expect(marked.slice(0, 4)).toEqual([null, null, null, null]);
    expect(marked[4]).toBeGreaterThan(0.3);
    // hovering shows the run's commit and branch in the legend
    const firstChart = api.locator('.chart').first();
    const box = (await firstChart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await expect.poll(() => firstChart.locator('.u-legend').textContent()).toContain('c1000005');
    expect(consoleErrors).toEqual([]);
    expect(blockedRequests).toEqual([]);
    expect(statSync(trendsFile).size).toBeLessThan(400_000);
  });

  it('shows a pull request\'s results compared with the store: table and overlaid distributions', async () => {
    const taskDir = join(work, 'out-pr', 'tasks', readdirSync(join(work, 'out-pr', 'tasks'))[0]!);
    const reportFile = join(work, 'compared.html');
    const made = await cli(['report', taskDir, '--baseline', store, '--runs', '4', '--out', reportFile], work);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/baseline: main@c100000, 4 runs/);

    const page = await open(reportFile);
    await page.locator('nav.workloads a', { hasText: 'HttpRequests.check_request' }).click();
    const section = page.locator('.tab.active [data-section="baseline-comparison"]');
    await section.waitFor({ state: 'visible' });
    const table = await section.locator('table').first().textContent();
    expect(table).toContain('total');
    expect(table).toContain('median');
    const canvas = section.locator('.chart[data-chart="comparison"] canvas');
    await canvas.waitFor({ state: 'visible' });
    expect((await paintedPixels(page, '.tab.active [data-section="baseline-comparison"] canvas'))[0]).toBeGreaterThan(500);
    expect(await section.locator('.u-legend').textContent()).toContain('baseline');
    await page.screenshot({ path: join(work, 'compared.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(blockedRequests).toEqual([]);
  });
});
