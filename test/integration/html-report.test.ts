/**
 * The HTML report in a real browser: `rally-gate task start` on a task with failures, hooks and
 * custom output, `rally-gate report` on its results folder, then the page opened from file:// in
 * headless Chromium with every network request refused. Needs the build (npm test builds first)
 * and Debian's chromium package; skips with a message without it.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CHROMIUM, hasChromium, launchOffline, paintedPixels, recordErrors } from '../support/chromium.js';

if (!hasChromium) {
  console.warn(`html-report.test.ts: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

const cli = (args: string[]) => runCli(args);

describe('rally-gate report: input errors', () => {
  it('exits 2 for a missing input, no input, or Rally\'s old results format', async () => {
    const missing = await cli(['report', '/nonexistent/results']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/results: no such file or folder');
    expect((await cli(['report'])).code).toBe(2);
    const old = await cli(['report', '/work/shared/reference/rally-3.3.0/results/d-sla-pass-fail-100.task-results.json', '--out', join(tmpdir(), 'never.html')]);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('old "rally task results" format');
  });
});

describe.skipIf(!hasChromium)('HTML report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'html-report-it-'));
  const results = join(dir, 'results');
  const reportFile = join(dir, 'report.html');
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  let blockedRequests: string[] = [];

  beforeAll(async () => {
    const run = await cli(['task', 'start', '/work/shared/reference/rally-3.3.0/tasks/f-all-features.yaml', '--out', results, '--no-progress']);
    expect(run.code, run.stderr).toBe(1); // two workloads fail their SLA on purpose
    const report = await cli(['report', results, '--out', reportFile]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(reportFile);

    const offline = await launchOffline();
    browser = offline.browser;
    blockedRequests = offline.blockedRequests;
    page = await offline.context.newPage();
    recordErrors(page, consoleErrors);
    await page.goto(`file://${reportFile}`);
  });

  afterAll(async () => {
    await browser?.close();
    console.log(`html-report.test.ts: report and screenshots in ${dir}`);
  });

  it('loads offline without console errors or network requests', async () => {
    expect(await page.locator('header.page .verdict').first().textContent()).toContain('FAIL');
    await page.screenshot({ path: join(dir, 'overview.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    expect(blockedRequests).toEqual([]);
    expect(statSync(reportFile).size).toBeLessThan(400_000);
  });

  it('shows every workload tab with its charts drawn', async () => {
    const links = await page.locator('nav.workloads a[href^="#w"]').all();
    expect(links.length).toBe(4);
    for (const [i, link] of links.entries()) {
      await link.click();
      const id = (await link.getAttribute('href'))!.slice(1);
      const tab = page.locator(`#${id}`);
      await tab.waitFor({ state: 'visible' });
      expect(await page.locator('.tab.active').count()).toBe(1);
      // the four main charts always draw: durations, atomics, load profile, histogram
      const charts = tab.locator('.charts').first().locator('.chart');
      expect(await charts.count()).toBe(4);
      for (let c = 0; c < 4; c++) {
        const chart = charts.nth(c);
        const hasEmptyNote = (await chart.locator('.chart-empty').count()) > 0;
        if (hasEmptyNote) continue;
        expect(await chart.locator('canvas').count()).toBe(1);
      }
      const canvases = await tab.locator('canvas').count();
      expect(canvases).toBeGreaterThanOrEqual(3);
      for (const painted of await paintedPixels(page, `#${id} canvas`)) expect(painted).toBeGreaterThan(500);
      await page.screenshot({ path: join(dir, `workload-${i + 1}.png`), fullPage: true });
    }
    expect(consoleErrors).toEqual([]);
  });

  it('shows failures, hooks and custom output where the task has them', async () => {
    await page.locator('nav.workloads a', { hasText: 'Dummy.dummy_random_fail_in_atomic' }).click();
    await page.locator('.tab.active .failure').first().waitFor({ state: 'visible' });

    await page.locator('nav.workloads a', { hasText: 'Dummy.dummy_output' }).click();
    const output = page.locator('.tab.active');
    await output.getByText('Additive StatsTable', { exact: true }).waitFor({ state: 'visible' });
    // complete output: switch to another iteration, its charts draw on demand
    const chooser = output.locator('select.complete-choice');
    const second = await chooser.locator('option').nth(1).getAttribute('value');
    await chooser.selectOption(second!);
    const block = output.locator(`.complete-output[data-source="${second}"]`);
    await block.waitFor({ state: 'visible' });
    await block.locator('canvas').first().waitFor({ state: 'visible' });

    await page.locator('nav.workloads a', { hasText: 'Dummy.dummy_random_action' }).click();
    await page.locator('.tab.active').getByText('hello-from-hook').first().waitFor({ state: 'visible' });
    // histogram of one atomic action instead of the total
    const histogram = page.locator('.tab.active select.histogram-choice');
    await histogram.selectOption('1');
    const histogramCanvas = page.locator('.tab.active figure', { has: page.locator('select.histogram-choice') }).locator('canvas');
    await histogramCanvas.waitFor({ state: 'visible' });
    expect(await histogramCanvas.count()).toBe(1);
    expect(await page.locator('.tab.active figure', { has: page.locator('select.histogram-choice') }).locator('.u-legend').textContent()).toContain('action_0');
    expect(consoleErrors).toEqual([]);
  });
});
