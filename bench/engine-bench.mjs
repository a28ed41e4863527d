#!/usr/bin/env node
// Engine micro-benchmarks (not unit tests: figures depend on the machine). Needs a build:
//   npx tsc -p tsconfig.json --outDir build && node bench/engine-bench.mjs [a|b|k ...]
// RALLY_GATE_BUILD=/other/build overrides where the compiled engine is taken from.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const build = resolve(process.env.RALLY_GATE_BUILD ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'build'));
await import(pathToFileURL(join(build, 'plugins/index.js')).href);
const { runWorkload } = await import(pathToFileURL(join(build, 'engine/workload.js')).href);

const dir = mkdtempSync(join(tmpdir(), 'rally-gate-bench-'));
const cases = {
  a: { what: 'Dummy.dummy sleep 0, constant 10000 x concurrency 10', runner: { constant: { times: 10000, concurrency: 10 } }, args: { sleep: 0 } },
  b: { what: 'Dummy.dummy sleep 0.1, constant 500 x concurrency 50', runner: { constant: { times: 500, concurrency: 50 } }, args: { sleep: 0.1 } },
  k: { what: 'Dummy.dummy sleep 0.01, rps 1000 x 5000', runner: { rps: { times: 5000, rps: 1000 } }, args: { sleep: 0.01 } },
  big: { what: 'Dummy.dummy sleep 0, constant 200000 x concurrency 10', runner: { constant: { times: 200000, concurrency: 10 } }, args: { sleep: 0 } },
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ['a', 'b', 'k'];
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
for (const id of chosen) {
  const c = cases[id];
  const file = join(dir, `${id}.ndjson`);
  peakRss = process.memoryUsage.rss();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const s = await runWorkload({
    workload: { runner: c.runner, sla: {}, contexts: {}, hooks: [], scenario: { 'Dummy.dummy': c.args } },
    uuid: id, taskUuid: 'bench', subtaskIndex: 0, position: 0, iterationsFile: file,
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const runPeakRss = peakRss; // before the analysis below reads the whole file
  const starts = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).timestamp).sort((x, y) => x - y);
  const startRate = (starts.length - 1) / (starts[starts.length - 1] - starts[0]);
  console.log(JSON.stringify({
    case: id, what: c.what, iterations: s.totalIterationCount, failed: s.failedIterationCount,
    load_s: +s.loadDuration.toFixed(5), full_s: +s.fullDuration.toFixed(5), wall_s: +wall.toFixed(4),
    'iterations/s (n/load)': Math.round(s.totalIterationCount / s.loadDuration),
    'iterations/s (n/wall incl. file close)': Math.round(s.totalIterationCount / wall),
    'iterations per CPU s': Math.round(s.totalIterationCount / cpuSeconds),
    'start rate/s': +startRate.toFixed(3), min_duration: s.minDuration, max_duration: s.maxDuration,
    'peak RSS MiB': +(runPeakRss / 2 ** 20).toFixed(1),
  }));
}
clearInterval(sampler);
rmSync(dir, { recursive: true, force: true });
