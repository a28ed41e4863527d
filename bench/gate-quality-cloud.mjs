#!/usr/bin/env node
// How good are the gate's verdicts on a real cloud? One command:
//
//   node bench/gate-quality-cloud.mjs [--runs R] [--levels 0.2,0.3,0.45] [--combos K] [--evaluate-only] [--bh]
//
// 1. Collect (skipped for runs already cached in bench/out/gate-quality-cloud/runs/): R unchanged gate
//    runs and R runs per slowdown level, interleaved (unchanged, level 1, level 2, ..., unchanged, ...)
//    so that the cloud's drift over the session (other engineers' tests and benchmarks) hits every
//    condition alike. Each run is a real `rally-gate run` of bench/tasks/gate-quality/gate.yaml
//    (4 workloads x 30 iterations) against the dev cloud, with its auth URL behind
//    bench/latency-proxy.mjs: delay 0 for unchanged runs, `level x the server's own time` per token
//    request for slowed runs. Only Authenticate.keystone's calls go through the proxy; the other
//    workloads are unchanged in every run.
// 2. Evaluate, with the real judge() (bundled on the fly) and the settings' thresholds: every run as
//    "current" against K baselines of 5 unchanged runs drawn from the others, plus the chronological
//    baseline (the 5 unchanged runs just before it), counting every workload and atomic action verdict.
//    The same runs serve in many combinations: the counts are not independent samples, and the
//    per-run figures printed alongside say how many distinct runs are behind each rate.
// Prints the false-alarm rate (with a Wilson interval that is optimistic for that reason), the
// detection rate per level, the slowdown the proxy really added to the calls, and the smallest level
// detected in >= 95% of runs.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startLatencyProxy } from './latency-proxy.mjs';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'bench/out/gate-quality-cloud');
const runsDir = join(outDir, 'runs');
const settingsFile = 'bench/tasks/gate-quality/gate.yaml';
const devCloudYaml = '/var/lib/rally-gate/dev-cloud/clouds.yaml';
const AFFECTED = { subtask: 'authenticate', action: 'authenticate.keystone' };

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    levels: { type: 'string', default: '0.2,0.3,0.45' },
    combos: { type: 'string', default: '20' },
    'evaluate-only': { type: 'boolean', default: false },
    bh: { type: 'boolean', default: false },
  },
});
const runsPerCondition = Number(options.runs);
const levels = options.levels.split(',').map(Number);
const combos = Number(options.combos);
if (!(runsPerCondition >= 2) || levels.some((l) => !(l > 0 && l < 10)) || !(combos >= 1)) {
  console.error('usage: node bench/gate-quality-cloud.mjs [--runs R>=2] [--levels 0.1,0.25] [--combos K] [--evaluate-only] [--bh]');
  process.exit(2);
}
process.chdir(root); // the settings' paths are relative to the repository
mkdirSync(runsDir, { recursive: true });

// ---- 1. collect

/** "aa-03" (unchanged) or "slow25-03" (a 25% slowdown of the token requests' server time) */
const labelOf = (level, index) => `${level === 0 ? 'aa' : `slow${Math.round(level * 100)}`}-${String(index).padStart(2, '0')}`;

function schedule() {
  const order = [];
  for (let i = 0; i < runsPerCondition; i++) for (const level of [0, ...levels]) order.push({ level, index: i, label: labelOf(level, i) });
  return order;
}

/** The dev cloud's clouds.yaml with the auth URL through the proxy (same cloud name, mode 0600). */
function proxiedCloudsYaml(port) {
  const text = readFileSync(devCloudYaml, 'utf8');
  if (!text.includes('auth_url: http://127.0.0.1:5000')) throw new Error(`${devCloudYaml}: expected auth_url http://127.0.0.1:5000`);
  const file = join(outDir, 'clouds.yaml');
  writeFileSync(file, text.replace('auth_url: http://127.0.0.1:5000', `auth_url: http://127.0.0.1:${port}`), { mode: 0o600 });
  return file;
}

function childEnv(cloudsYaml) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  return { ...env, OS_CLIENT_CONFIG_FILE: cloudsYaml, NO_COLOR: '1' };
}

// Ctrl-C stops after the gate run in progress has cleaned up (rally-gate's own SIGINT handling);
// that run is not recorded, the ones before it stay cached.
let stopRequested = false;
let runningChild;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopRequested = true;
    console.log(`${signal}: stopping after the current gate run cleans up`);
    runningChild?.kill('SIGINT');
  });
}

function runCli(cli, args, env) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    runningChild = child;
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      runningChild = undefined;
      done({ code, output });
    });
  });
}

const medianOf = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function collect() {
  const pending = schedule().filter((r) => !existsSync(join(runsDir, `${r.label}.json`)));
  if (pending.length === 0) return;
  // One snapshot of the CLI for every run, kept across invocations: others rebuild build/ while we
  // run, and a scenario that starts making other calls is a change, not noise. Delete
  // bench/out/gate-quality-cloud/ to start over with a new build.
  const cli = join(outDir, 'rally-gate.cjs');
  if (!existsSync(cli)) copyFileSync(join(root, 'build/rally-gate.cjs'), cli);
  const cliHash = createHash('sha256').update(readFileSync(cli)).digest('hex').slice(0, 16);
  const runner = join(outDir, 'run-cli.mjs');
  writeFileSync(
    runner,
    "import { createRequire } from 'node:module';\nconst { main } = createRequire(import.meta.url)('./rally-gate.cjs');\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
  );
  const proxy = await startLatencyProxy({ upstreamHost: '127.0.0.1', upstreamPort: 5000 });
  const env = childEnv(proxiedCloudsYaml(proxy.port));
  console.log(`collecting ${pending.length} gate runs (auth URL through the latency proxy on 127.0.0.1:${proxy.port})`);
  try {
    for (const [n, planned] of pending.entries()) {
      proxy.setSlowdown({ fraction: planned.level });
      proxy.takeRequests();
      const loadBefore = loadavg()[0];
      const started = new Date();
      const commit = `gq-${planned.label}-${started.getTime()}`;
      const resultDir = join(outDir, 'results', planned.label);
      rmSync(resultDir, { recursive: true, force: true });
      let attempt = await runGate(runner, resultDir, commit, env);
      if (stopRequested) break;
      if (runProblem(attempt)) {
        // A burst of connection errors is usually the shared cloud (the Keystone outage test): once more.
        console.log(`  ${planned.label}: ${runProblem(attempt)}; retrying once in 20 s`);
        await new Promise((r) => setTimeout(r, 20_000));
        proxy.takeRequests();
        attempt = await runGate(runner, resultDir, `${commit}-retry`, env);
        if (stopRequested) break;
      }
      const requests = proxy.takeRequests();
      if (runProblem(attempt)) {
        console.log(`  ${planned.label}: ${runProblem(attempt)} again; not recorded (run the command again to fill the gap)`);
        continue;
      }
      const record = {
        label: planned.label,
        level: planned.level,
        started: started.toISOString(),
        seconds: (Date.now() - started.getTime()) / 1000,
        load: [loadBefore, loadavg()[0]],
        exitCode: attempt.code,
        cli: cliHash,
        proxy: {
          requests: requests.length,
          upstreamMedianMs: medianOf(requests.map((r) => r.upstreamMs)),
          addedMedianMs: medianOf(requests.map((r) => r.addedMs)),
          // the affected call makes several requests (Rally's five: 3 version documents, 2 tokens):
          // the slowdown per call is the total added over the iterations, not a median request's
          addedTotalMs: requests.reduce((sum, r) => sum + r.addedMs, 0),
        },
        run: attempt.run,
      };
      writeFileSync(join(runsDir, `${planned.label}.json.tmp`), JSON.stringify(record));
      renameSync(join(runsDir, `${planned.label}.json.tmp`), join(runsDir, `${planned.label}.json`));
      console.log(
        `  [${n + 1}/${pending.length}] ${planned.label}: ${record.seconds.toFixed(0)} s, exit ${record.exitCode}, load ${record.load.map((l) => l.toFixed(2)).join('->')}, ` +
          `${requests.length} token requests (server ${record.proxy.upstreamMedianMs.toFixed(0)} ms, added ${record.proxy.addedMedianMs.toFixed(0)} ms median)`,
      );
    }
  } finally {
    await proxy.close();
    rmSync(join(outDir, 'clouds.yaml'), { force: true }); // a copy of the cloud's password: not kept
  }
}

/**
 * Why a gate run cannot serve as a sample (undefined when it can): it stored nothing, or iterations
 * failed (then the timings are of a broken cloud, not of a slower one). Its exit code alone does not
 * tell: a slowed run may fail the gate against the store's earlier runs, which is fine here.
 */
function runProblem(attempt) {
  if (attempt.run === undefined) return `exit ${attempt.code} without storing a run: ${attempt.output.split('\n').slice(-4).join(' | ')}`;
  const failed = attempt.run.workloads.filter((w) => w.total.count === 0 || w.total.failures > 0 || !w.passSla);
  if (failed.length > 0) return `failed in ${failed.map((w) => `${w.scenario} (${w.total.failures}/${w.total.count} iterations)`).join(', ')}`;
  return undefined;
}

async function runGate(runner, resultDir, commit, env) {
  const args = ['run', '--settings', settingsFile, '--out', resultDir, '--store-baseline', '--branch', 'main', '--event', 'push', '--commit', commit, '--os-cloud', 'dev-cloud', '--no-progress'];
  const { code, output } = await runCli(runner, args, env);
  const storeRuns = join(outDir, 'store/runs');
  const file = existsSync(storeRuns) ? readdirSync(storeRuns).find((f) => JSON.parse(readFileSync(join(storeRuns, f), 'utf8')).commit === commit) : undefined;
  return { code, output, run: file ? JSON.parse(readFileSync(join(storeRuns, file), 'utf8')) : undefined };
}

// ---- 2. evaluate

async function loadJudge() {
  const scratch = join(outDir, 'judge.mjs');
  await build({
    stdin: {
      contents: `export { judge } from './src/gate/compare.ts'; export { loadSettings } from './src/gate/settings.ts'; export { seededRandom } from './src/gate/stats.ts';`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: scratch,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return import(`${pathToFileURL(scratch).href}?${Date.now()}`);
}

/** Wilson score interval for k of n, 95%. */
function wilson(k, n) {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const rate = (k, n) => `${k}/${n} = ${pct(k / n)} (95% CI ${wilson(k, n).map(pct).join('-')})`;

/** K random 5-subsets of `pool` (seeded), plus the chronological one when `current` has 5 predecessors. */
function baselinesFor(current, pool, size, random) {
  const others = pool.filter((r) => r.label !== current.label);
  const sets = [];
  const before = others.filter((r) => r.started < current.started).slice(-size);
  if (before.length === size) sets.push({ kind: 'chronological', runs: before });
  for (let k = 0; k < combos && others.length >= size; k++) {
    const shuffled = [...others];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    sets.push({ kind: 'random', runs: shuffled.slice(0, size) });
  }
  return sets;
}

const isAlarm = (c) => c.kind === 'regression' || c.kind === 'improvement';
const isAffected = (c) => c.workload.subtask === AFFECTED.subtask && (c.action === undefined || c.action === AFFECTED.action);

async function evaluate() {
  const cached = readdirSync(runsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(runsDir, f), 'utf8')))
    .sort((a, b) => a.started.localeCompare(b.started));
  const records = cached.filter((r) => runProblem({ run: r.run }) === undefined);
  const clis = new Set(records.map((r) => r.cli ?? 'unrecorded'));
  if (clis.size > 1) console.log(`warning: the runs were made with ${clis.size} different CLI snapshots (${[...clis].join(', ')})`);
  for (const r of cached) if (runProblem({ run: r.run })) console.log(`excluded ${r.label}: ${runProblem({ run: r.run })}`);
  const unchanged = records.filter((r) => r.level === 0);
  if (unchanged.length < 6) throw new Error(`only ${unchanged.length} unchanged runs cached; need at least 6 (5 baseline + 1 current)`);
  const { judge, loadSettings, seededRandom } = await loadJudge();
  const settings = { ...loadSettings(join(root, settingsFile)), ...(options.bh ? { correction: 'benjamini-hochberg' } : {}) };
  const size = settings.baselineRuns;
  const random = seededRandom(4);
  const judgeRun = (current, baseline) => judge(current.run, baseline.map((b) => b.run), settings, { today: '2026-11-21' }).comparisons;

  const loads = records.flatMap((r) => r.load);
  const minutes = records.reduce((s, r) => s + r.seconds, 0) / 60;
  console.log(`${records.length} cached gate runs (${unchanged.length} unchanged), ${records[0].started} .. ${records.at(-1).started}, ${minutes.toFixed(0)} min of runs`);
  console.log(`load average (1 min) around the runs: median ${medianOf(loads).toFixed(2)}, min ${Math.min(...loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)} (2 cores)`);
  console.log(`thresholds: regression ${settings.defaults.regressionPercent}%, confidence ${settings.defaults.confidence}, ${settings.correction}, between-run floor ${settings.defaults.betweenRunNoisePercent}%, baseline = ${size} runs`);

  // A/A: unchanged current against unchanged baselines.
  const aa = { workloads: [0, 0], actions: [0, 0], gateRuns: 0, failedGateRuns: 0, runsWithAlarm: new Set(), chronological: [0, 0] };
  const alarms = new Map();
  for (const current of unchanged) {
    for (const baseline of baselinesFor(current, unchanged, size, random)) {
      const comparisons = judgeRun(current, baseline.runs).filter((c) => c.kind !== 'not-enough-data');
      aa.gateRuns++;
      if (comparisons.some((c) => c.kind === 'regression')) aa.failedGateRuns++;
      for (const c of comparisons) {
        const bucket = c.action === undefined ? aa.workloads : aa.actions;
        bucket[1]++;
        if (c.action === undefined && baseline.kind === 'chronological') aa.chronological[1]++;
        if (isAlarm(c)) {
          bucket[0]++;
          if (c.action === undefined && baseline.kind === 'chronological') aa.chronological[0]++;
          aa.runsWithAlarm.add(current.label);
          const key = `${c.workload.scenario}${c.action ? ` ${c.action}` : ''} ${c.kind}`;
          alarms.set(key, (alarms.get(key) ?? 0) + 1);
        }
      }
    }
  }
  console.log(`\nA/A (${unchanged.length} unchanged runs, each against ${combos} random baselines of ${size} others + the chronological one: ${aa.gateRuns} gate verdicts, not independent)`);
  console.log(`  false alarms, workloads:      ${rate(...aa.workloads)}`);
  console.log(`  false alarms, atomic actions: ${rate(...aa.actions)}`);
  console.log(`  chronological baselines only, workloads: ${rate(...aa.chronological)}`);
  console.log(`  gate runs failed by a false regression: ${aa.failedGateRuns}/${aa.gateRuns}; distinct current runs with any alarm: ${aa.runsWithAlarm.size}/${unchanged.length}`);
  for (const [key, n] of alarms) console.log(`    ${n}x ${key}`);

  // What the proxy really did to the calls: medians of the affected action, slowed vs unchanged runs.
  const affectedDurations = (record) => record.run.workloads.find((w) => w.subtask === AFFECTED.subtask)?.actions[AFFECTED.action]?.durations.values ?? [];
  const runMedianLog = (record) => Math.log(medianOf(affectedDurations(record)));
  const unchangedLevel = unchanged.reduce((s, r) => s + runMedianLog(r), 0) / unchanged.length;
  const unchangedServerMs = medianOf(unchanged.map((r) => r.proxy.upstreamMedianMs));
  // Run-to-run noise of each series: the sd of the unchanged runs' log medians (what one current run
  // can move for no reason; the gate estimates the same from its 5 baseline runs).
  console.log('\nbetween-run noise of the unchanged runs (sd of log run medians; median range):');
  for (const w of unchanged[0].run.workloads) {
    for (const name of Object.keys(w.actions)) {
      const medians = unchanged.map((r) => medianOf(r.run.workloads.find((x) => x.hash === w.hash).actions[name].durations.values));
      const logs = medians.map(Math.log);
      const m = logs.reduce((a, b) => a + b, 0) / logs.length;
      const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (logs.length - 1));
      console.log(`  ${name.padEnd(26)} ${pct(Math.expm1(sd)).padStart(6)}  (${(1000 * Math.min(...medians)).toFixed(0)}-${(1000 * Math.max(...medians)).toFixed(0)} ms)`);
    }
  }
  console.log(`\nunchanged runs: ${AFFECTED.action} median ${(1000 * Math.exp(unchangedLevel)).toFixed(0)} ms (geometric mean of run medians); token requests' server time ${unchangedServerMs.toFixed(0)} ms median`);

  console.log(`\ndetection (slowed token requests; each slowed run against ${combos} random baselines of ${size} unchanged runs + the chronological one):`);
  let smallest;
  const summaryRows = [];
  const cachedLevels = [...new Set(records.map((r) => r.level).filter((l) => l > 0))].sort((a, b) => a - b);
  for (const level of cachedLevels) {
    const slowed = records.filter((r) => r.level === level);
    if (slowed.length === 0) continue;
    const realRatio = Math.exp(slowed.reduce((s, r) => s + runMedianLog(r), 0) / slowed.length - unchangedLevel);
    // What the proxy added per call (per iteration of the affected workload: its requests all go
    // through the proxy; the few made outside iterations, admin and context tokens, are counted in
    // too, so this slightly overstates). Runs recorded before addedTotalMs existed: per request.
    const addedPerCall = (r) => (r.proxy.addedTotalMs !== undefined ? r.proxy.addedTotalMs / affectedDurations(r).length : r.proxy.addedMedianMs);
    const added = medianOf(slowed.map(addedPerCall));
    // The slowdown of the call inside each run: the proxy's added time over the call's time without it
    // (free of the run-to-run noise that the ratio across runs carries).
    const perCall = medianOf(slowed.map((r) => addedPerCall(r) / (1000 * medianOf(affectedDurations(r)) - addedPerCall(r))));
    let action = [0, 0];
    let total = [0, 0];
    let controls = [0, 0];
    const runsDetectedAlways = new Set(slowed.map((r) => r.label));
    for (const current of slowed) {
      for (const baseline of baselinesFor(current, unchanged, size, random)) {
        for (const c of judgeRun(current, baseline.runs)) {
          if (c.kind === 'not-enough-data') continue;
          if (isAffected(c)) {
            const bucket = c.action === undefined ? total : action;
            bucket[1]++;
            if (c.kind === 'regression') bucket[0]++;
            else if (c.action !== undefined) runsDetectedAlways.delete(current.label);
          } else if (c.action === undefined) {
            controls[1]++;
            if (isAlarm(c)) controls[0]++;
          }
        }
      }
    }
    const detected = action[0] / action[1];
    if (smallest === undefined && detected >= 0.95) smallest = level;
    console.log(
      `  proxy +${Math.round(level * 100)}% of server time (+${added.toFixed(0)} ms per call = +${pct(perCall)} of the call inside its run; across runs the call's median was ${pct(realRatio - 1)} higher), ${slowed.length} runs:\n` +
        `    ${AFFECTED.action} flagged: ${rate(...action)}; its workload total: ${rate(...total)}; runs flagged against every baseline: ${runsDetectedAlways.size}/${slowed.length}\n` +
        `    unchanged workloads of the same runs flagged: ${rate(...controls)}`,
    );
    summaryRows.push({ level, realRatio, perCall, detected, action, total, controls, runs: slowed.length });
  }
  console.log(
    `\nsmallest slowdown flagged in >= 95% of comparisons: ${smallest === undefined ? 'none of those tried' : `proxy +${Math.round(smallest * 100)}% (+${pct(summaryRows.find((r) => r.level === smallest).perCall)} on the call)`}`,
  );
}

if (!options['evaluate-only']) await collect();
if (stopRequested) process.exit(130);
await evaluate();
