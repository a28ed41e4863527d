#!/usr/bin/env node
// How good are the gate's verdicts? One command: node bench/gate-quality.mjs [--quick]
//
//   (--bh: Benjamini-Hochberg instead of Holm)
//
// Simulates gate runs of Dummy-like workloads whose iteration durations are noisy the way cloud
// latencies are: log-normal within a run, a random level shift per run (between-run noise), and a few
// stalls (heavy tail). Each simulated gate run has its own fresh baseline of N runs and is judged by
// the real code (src/gate/compare.ts, bundled on the fly with esbuild), with rally-jobs/gate.yaml's
// default thresholds. Prints:
//   - A/A: share of workloads flagged (regression or improvement) when nothing changed;
//   - detection: share of runs in which a slowdown of X% is flagged as a regression, for several X;
//   - the smallest slowdown detected in >= 95% of runs.
// Synthetic durations, not sleeps: 1000 gate runs of sleeping workloads would take hours and measure
// the host's timer, not the statistics. The same harness against the dev cloud comes later.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const scratch = mkdtempSync(join(tmpdir(), 'gate-quality-'));
const bundle = join(scratch, 'gate.mjs');
await build({
  stdin: {
    contents: `export { judge } from './src/gate/compare.ts'; export { DEFAULT_THRESHOLDS } from './src/gate/settings.ts'; export { compactDurations } from './src/baseline/summarize.ts'; export { seededRandom, normalDraw } from './src/gate/stats.ts';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const { judge, DEFAULT_THRESHOLDS, compactDurations, seededRandom, normalDraw } = await import(pathToFileURL(bundle).href);
rmSync(scratch, { recursive: true, force: true });

const NOISE = {
  iterations: 30, // per workload per run
  baselineRuns: 5, // N: the baseline = the last 5 trusted runs
  workloads: 8, // per gate run, each with 2 atomic actions
  // --noise high: sd 0.15 inside a run, 3% between runs; default (moderate): 0.10 and 2%
  withinRun: process.argv.includes('--noise=high') ? 0.15 : 0.1, // sd of log duration inside a run
  betweenRun: process.argv.includes('--noise=high') ? 0.03 : 0.02, // sd of a run's log level
  stallProbability: 0.02, // an iteration stalls...
  stallFactor: 3, // ...and takes 3x as long
};
const random = seededRandom(20261121);

function series(median, shift, slowdown) {
  const values = [];
  for (let i = 0; i < NOISE.iterations; i++) {
    let d = median * slowdown * Math.exp(shift + NOISE.withinRun * normalDraw(random));
    if (random() < NOISE.stallProbability) d *= NOISE.stallFactor;
    values.push(d);
  }
  return values;
}

/** One run: every workload's total = action_a + action_b (+1 ms of glue), each with its own noise. */
function simulateRun(id, slowdown = 1) {
  const shift = NOISE.betweenRun * normalDraw(random);
  const workloads = [];
  for (let w = 0; w < NOISE.workloads; w++) {
    const a = series(0.05 * (w + 1), shift, slowdown);
    const b = series(0.02 * (w + 1), shift, 1);
    const total = a.map((x, i) => x + b[i] + 0.001);
    const summary = (values) => ({ count: values.length, failures: 0, durations: compactDurations(values) });
    workloads.push({
      hash: `w${w}`.padEnd(32, '0'),
      task: 'sim.yaml',
      subtask: `workload ${w}`,
      scenario: 'Dummy.dummy_random_sleep',
      position: 0,
      total: summary(total),
      actions: { action_a: summary(a), action_b: summary(b) },
      sla: [],
      passSla: true,
    });
  }
  return { format: 1, id, commit: id, branch: 'main', time: new Date().toISOString(), fingerprint: 'sim', workloads };
}

const settings = {
  file: 'sim',
  tasks: [],
  baselineRuns: NOISE.baselineRuns,
  trusted: { branches: ['main'], events: ['push'] },
  defaults: { ...DEFAULT_THRESHOLDS },
  overrides: [],
  waivers: [],
  fingerprint: {},
  correction: process.argv.includes('--bh') ? 'benjamini-hochberg' : 'holm',
};

function gateRun(slowdown) {
  const baseline = Array.from({ length: NOISE.baselineRuns }, (_, i) => simulateRun(`b${i}`));
  return judge(simulateRun('current', slowdown), baseline, settings);
}

const aaRuns = quick ? 60 : 300;
let flagged = 0;
let judged = 0;
let flaggedActions = 0;
let judgedActions = 0;
const started = Date.now();
for (let r = 0; r < aaRuns; r++) {
  const j = gateRun(1);
  for (const c of j.comparisons) {
    const alarm = c.kind === 'regression' || c.kind === 'improvement';
    if (c.action === undefined) {
      judged++;
      if (alarm) flagged++;
    } else {
      judgedActions++;
      if (alarm) flaggedActions++;
    }
  }
}
const pct = (a, b) => `${((100 * a) / b).toFixed(2)}%`;
console.log(`noise model: ${JSON.stringify(NOISE)}`);
console.log(`thresholds: regression ${settings.defaults.regressionPercent}%, confidence ${settings.defaults.confidence}, between-run floor ${settings.defaults.betweenRunNoisePercent}%, correction ${settings.correction}`);
console.log(`A/A (${aaRuns} gate runs): false alarms on ${flagged}/${judged} workloads = ${pct(flagged, judged)}; atomic actions ${flaggedActions}/${judgedActions} = ${pct(flaggedActions, judgedActions)}`);

// Detection: action_a of every workload slows down by X%; the workload (total) and action_a should be flagged.
const detectionRuns = quick ? 40 : 100;
let smallest;
for (const percent of [15, 20, 25, 30, 40]) {
  let totalHits = 0;
  let actionHits = 0;
  let cases = 0;
  for (let r = 0; r < detectionRuns; r++) {
    const j = gateRun(1 + percent / 100);
    for (const c of j.comparisons) {
      if (c.action === undefined) {
        cases++;
        if (c.kind === 'regression') totalHits++;
      } else if (c.action === 'action_a' && c.kind === 'regression') actionHits++;
    }
  }
  const rate = actionHits / cases;
  console.log(`slowdown ${percent}% of action_a (${detectionRuns} gate runs): action_a flagged in ${pct(actionHits, cases)}, its workload total (a smaller relative change) in ${pct(totalHits, cases)}`);
  if (smallest === undefined && rate >= 0.95) smallest = percent;
}
console.log(`smallest slowdown detected in >= 95% of runs: ${smallest === undefined ? 'none of those tried' : `${smallest}%`}`);
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
