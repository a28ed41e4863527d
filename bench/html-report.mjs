#!/usr/bin/env node
// The HTML report's figures for a 10 000-iteration task (docs/html-report.md records them):
//  - writeHtmlReport from a run record whose iterations sit in NDJSON (the `task start` path)
//  - `rally-gate report DIR` end to end (reads the 14 MB task.json first)
//  - file size
//  - headless Chromium: from navigation to the first workload's charts drawn
//  - the trends page over a synthetic baseline store: 50 runs x 20 workloads (100 iterations, two
//    atomic actions each): writing it (shaping, judging every run against the 5 before it, HTML),
//    file size, headless Chromium from navigation to a workload's charts drawn
// Needs the build (npm run build).
// Usage: node bench/html-report.mjs [--results DIR] [--repeats N] [--only task|trends]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: { results: { type: 'string' }, repeats: { type: 'string', default: '5' }, only: { type: 'string' } },
});
if (opts.only !== undefined && !['task', 'trends'].includes(opts.only)) throw new Error('--only takes task or trends');
const repeats = Number(opts.repeats);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (opts.only !== 'trends') await taskReportBench();
if (opts.only !== 'task') await trendsBench();

async function taskReportBench() {
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
    args: CHROMIUM_ARGS,
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
}



/** Milliseconds from navigation until `selector` exists, median of `repeats` fresh pages. */
async function timeToCharts(file, hash, selector) {
  if (!existsSync('/usr/bin/chromium')) return 'skipped (/usr/bin/chromium missing)';
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const drawn = [];
  const domInteractive = [];
  for (let i = 0; i < repeats; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const t0 = performance.now();
    await page.goto(`file://${file}#${hash}`);
    await page.waitForSelector(selector);
    drawn.push((performance.now() - t0) / 1000);
    domInteractive.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domInteractive / 1000));
    await page.close();
  }
  await browser.close();
  return { 'charts drawn s (median)': median(drawn), 'domInteractive s (median)': median(domInteractive) };
}

async function trendsBench() {
  const { writeTrendsReport } = await import(join(root, 'build/report/trends/index.js'));
  const { compactDurations } = await import(join(root, 'build/baseline/summarize.js'));
  const RUNS = 50;
  const WORKLOADS = 20;
  const ITERATIONS = 100;
  // Deterministic log-normal noise; workload 3 gets 40% slower from run 30 on, so marks appear.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const noisy = (m) => m * Math.exp(0.1 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  const series = (m, n = ITERATIONS) => ({ count: n, failures: 0, durations: compactDurations(Array.from({ length: n }, () => noisy(m))) });
  const runs = Array.from({ length: RUNS }, (_, r) => ({
    format: 1,
    id: `run-${String(r).padStart(3, '0')}`,
    commit: r.toString(16).padStart(40, 'a'),
    branch: 'main',
    time: new Date(Date.UTC(2026, 0, 1) + r * 86_400_000).toISOString(),
    fingerprint: 'bench-cloud',
    workloads: Array.from({ length: WORKLOADS }, (_, w) => {
      const level = (0.05 + w * 0.01) * (w === 3 && r >= 30 ? 1.4 : 1) * Math.exp(0.02 * (random() - 0.5));
      return {
        hash: w.toString(16).padStart(32, '0'),
        task: 'rally-jobs/bench.yaml',
        subtask: `subtask ${w}`,
        scenario: `Bench.scenario_${w}`,
        position: 0,
        total: series(level),
        actions: { 'bench.create': series(level * 0.6), 'bench.delete': series(level * 0.4) },
        sla: [],
        passSla: true,
      };
    }),
  }));
  const work = mkdtempSync(join(tmpdir(), 'trends-bench-'));
  const file = join(work, 'trends.html');
  const times = [];
  const cpu = [];
  let data;
  for (let i = 0; i < repeats; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    data = await writeTrendsReport(runs, file);
    times.push((performance.now() - t0) / 1000);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1e6);
  }
  const flagged = data.workloads.reduce((n, w) => n + w.series.reduce((m, s) => m + s.changes.length, 0), 0);
  const figures = {
    trends: `${RUNS} runs x ${WORKLOADS} workloads (${ITERATIONS} iterations, 2 atomic actions each)`,
    'flagged changes': flagged,
    'writeTrendsReport s (first)': times[0],
    'writeTrendsReport s (median)': median(times),
    'writeTrendsReport CPU s (median)': median(cpu),
    'file KB': Math.round(statSync(file).size / 1024),
    'browser: overview': await timeToCharts(file, 'overview', '#overview table'),
    'browser: a workload tab (3 charts)': await timeToCharts(file, 't4', '#t4 canvas'),
  };
  console.log(JSON.stringify(figures, null, 2));
  console.log(`trends: ${file}`);
}
