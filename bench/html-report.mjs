#!/usr/bin/env node
// The HTML report's figures for a 10 000-iteration task (docs/html-report.md records them):
//  - writeHtmlReport from a run record whose iterations sit in NDJSON (the `task start` path)
//  - `rally-gate report DIR` end to end (reads the 14 MB task.json first)
//  - file size
//  - headless Chromium: from navigation to the first workload's charts drawn
// Needs the build (npm run build). Usage: node bench/html-report.mjs [--results DIR] [--repeats N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: { results: { type: 'string' }, repeats: { type: 'string', default: '5' } },
});
const repeats = Number(opts.repeats);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { writeHtmlReport } = await import(join(root, 'build/report/html/index.js'));
const { readRallyJson } = await import(join(root, 'build/report/rally-json.js'));

// 1. A 10 000-iteration task run by rally-gate (or the results folder given).
let results = opts.results;
if (!results) {
  results = join(root, 'bench/out/html-10000');
  if (!existsSync(join(results, 'task.json'))) {
    mkdirSync(dirname(results), { recursive: true });
    const run = spawnSync(process.execPath, [join(root, 'bin/rally-gate.js'), 'task', 'start', 'bench/tasks/dummy-10000x10.yaml', '--out', results, '--no-progress'], { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`task start failed (${run.status})`);
  }
}
const loaded = (await readRallyJson(join(results, 'task.json'))).tasks[0];
const iterations = loaded.subtasks.reduce((n, s) => n + s.workloads.reduce((m, w) => m + w.iterations.length, 0), 0);

// 2. The same task as the run record `task start` holds: iterations in NDJSON files.
const work = mkdtempSync(join(tmpdir(), 'html-bench-'));
let fileNumber = 0;
const runRecord = {
  ...loaded,
  subtasks: loaded.subtasks.map((subtask) => ({
    ...subtask,
    workloads: subtask.workloads.map(({ iterations: its, ...workload }) => {
      const iterationsFile = join(work, `w${fileNumber++}.ndjson`);
      writeFileSync(iterationsFile, its.map((it) => JSON.stringify(it) + '\n').join(''));
      return { ...workload, summary: { ...workload.summary, iterationsFile } };
    }),
  })),
};

const reportFile = join(work, 'report.html');
// Wall time, and CPU time of this process, which other load on the machine disturbs less.
const writeTimes = [];
const writeCpu = [];
for (let i = 0; i < repeats; i++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await writeHtmlReport(runRecord, reportFile);
  writeTimes.push((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  writeCpu.push((cpu.user + cpu.system) / 1e6);
}
const size = statSync(reportFile).size;

// 3. The CLI end to end (a fresh process each time: module loading and JSON parsing included).
const cliTimes = [];
for (let i = 0; i < repeats; i++) {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'bin/rally-gate.js'), 'report', results, '--out', join(work, 'cli.html')], { cwd: root });
  if (run.status !== 0) throw new Error(`rally-gate report failed: ${run.stderr}`);
  cliTimes.push((performance.now() - t0) / 1000);
}

// 4. Headless Chromium: navigation to the first workload tab until its charts are drawn.
let browserFigures = 'skipped (/usr/bin/chromium missing)';
if (existsSync('/usr/bin/chromium')) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const firstWorkload = `w1-1-1`;
  const interactive = [];
  const domInteractive = [];
  for (let i = 0; i < repeats; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const t0 = performance.now();
    await page.goto(`file://${reportFile}#${firstWorkload}`);
    await page.waitForSelector(`#${firstWorkload} canvas`);
    interactive.push((performance.now() - t0) / 1000);
    domInteractive.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domInteractive / 1000));
    await page.close();
  }
  await browser.close();
  browserFigures = { 'charts drawn s (median)': median(interactive), 'domInteractive s (median)': median(domInteractive) };
}

const figures = {
  iterations,
  'writeHtmlReport s (first, cold)': writeTimes[0],
  'writeHtmlReport CPU s (first, cold)': writeCpu[0],
  'writeHtmlReport s (median)': median(writeTimes),
  'writeHtmlReport CPU s (median)': median(writeCpu),
  'rally-gate report CLI s (median)': median(cliTimes),
  'file KB': Math.round(size / 1024),
  browser: browserFigures,
  targets: { 'write <= 0.5 s': median(writeTimes) <= 0.5, 'file <= 400 KB': size <= 400_000 },
};
console.log(JSON.stringify(figures, null, 2));
console.log(`report: ${reportFile}`);
