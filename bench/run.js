#!/usr/bin/env node
// npm run bench: runs rally-gate and Debian's Rally 3.3.0 on the same task files in one run and prints
// ratios. Figures go to bench/out/results.json; docs/performance.md records them.
// Usage: npm run bench [-- --repeats N] [-- --only a,g] [-- --no-rally]
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { devCloudFile, devCloudUp, fromReport, prepareRally, root, runRally, timed } from './harness.mjs';
const { values: opts } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    only: { type: 'string' },
    'no-rally': { type: 'boolean', default: false },
  },
});
const repeats = Number(opts.repeats);

const cloudTargets = [
  { metric: 'runner CPU s', rule: '<= 1/5 of Rally', check: (g, p) => g['runner CPU s'] <= p['runner CPU s'] / 5 },
  { metric: 'wall - load s', rule: '<= 1 s', check: (g) => g['wall - load s'] <= 1 },
  { metric: 'iterations/s', rule: '>= Rally', check: (g, p) => g['iterations/s'] >= p['iterations/s'] },
];

/** The cases, their targets from the engine-core issue, and how each is measured. */
const cases = [
  {
    id: 'a',
    what: 'Dummy.dummy sleep 0, constant 10000 x concurrency 10',
    task: 'bench/tasks/dummy-10000x10.yaml',
    metrics: (r) => ({ 'iterations/s': r.iterations / r.load, 'wall s': r.wall, 'peak RSS MiB': r.rssMiB }),
    targets: [
      { metric: 'iterations/s', rule: 'ratio >= 25 (vs Rally)', check: (g, p) => g['iterations/s'] / p['iterations/s'] >= 25 },
      { metric: 'wall s', rule: '<= 1/10 of Rally', check: (g, p) => g['wall s'] <= p['wall s'] / 10 },
      { metric: 'peak RSS MiB', rule: '<= 100 MiB', check: (g) => g['peak RSS MiB'] <= 100 },
    ],
  },
  {
    id: 'g',
    what: '1-iteration task, whole command',
    task: 'bench/tasks/dummy-1-iteration.yaml',
    metrics: (r) => ({ 'wall s': r.wall, 'peak RSS MiB': r.rssMiB }),
    targets: [{ metric: 'wall s', rule: '<= 0.3 s', check: (g) => g['wall s'] <= 0.3 }],
  },
  {
    id: 'b',
    what: 'Dummy.dummy sleep 0.1, constant 500 x concurrency 50 (ideal load 1.000 s)',
    task: 'bench/tasks/dummy-sleep0.1-500x50.yaml',
    metrics: (r) => ({ 'load s': r.load, 'wall s': r.wall }),
    targets: [{ metric: 'load s', rule: '<= 1.005 s', check: (g) => g['load s'] <= 1.005 }],
  },
  {
    id: 'k',
    what: 'Dummy.dummy sleep 0.01, rps 1000 x 5000',
    task: 'bench/tasks/dummy-rps1000-5000.yaml',
    metrics: (r) => ({ 'start rate /s': r.startRate, 'load s': r.load, 'wall s': r.wall }),
    targets: [
      { metric: 'start rate /s', rule: 'within 0.1% of 1000', check: (g) => Math.abs(g['start rate /s'] - 1000) <= 1 },
    ],
  },
  {
    id: 'os1',
    cloud: true,
    what: 'Authenticate.keystone, constant 200 x 5, users context 2 x 2 (dev cloud)',
    task: 'bench/tasks/os-authenticate-keystone-200x5.yaml',
    metrics: cloudMetrics,
    targets: cloudTargets,
  },
  {
    id: 'os2',
    cloud: true,
    what: 'KeystoneBasic.create_delete_user, constant 100 x 5 (dev cloud)',
    task: 'bench/tasks/os-keystone-create-delete-user-100x5.yaml',
    metrics: cloudMetrics,
    targets: cloudTargets,
  },
].filter((c) => !opts.only || opts.only.split(',').includes(c.id));

/** For tasks against the dev cloud: throughput, the runner's own CPU, overhead beyond the load, latency. */
function cloudMetrics(r) {
  return {
    'iterations/s': r.iterations / r.load,
    'runner CPU s': r.cpu,
    'wall - load s': r.wall - r.load,
    // where "wall - load" goes: the contexts' set-up and cleanup, and the rest (start-up, validation, reports)
    'ctx setup s': r.contextSetup,
    'ctx cleanup s': r.contextCleanup,
    'other s': r.wall - r.load - r.contextSetup - r.contextCleanup,
    'peak RSS MiB': r.rssMiB,
    'median s': r.median,
    '95%ile s': r.p95,
  };
}


async function runRallyGate(task, outDir, cloud) {
  const args = ['task', 'start', task, '--out', outDir, '--no-progress'];
  if (cloud) args.push('--os-cloud', 'dev-cloud');
  // run as users run it (npx, npm's bin link): the script itself, so its #! line's node flags apply
  const r = await timed(join(root, 'bin/rally-gate.js'), args, {
    ...(cloud ? { OS_CLIENT_CONFIG_FILE: devCloudFile } : {}),
    // Some sandboxes point NODE_EXTRA_CA_CERTS at the whole system bundle, which makes every node
    // start parse it (40 ms here, a sixth of a 1-iteration task); a plain Debian machine does not set
    // it and the dev cloud is plain HTTP. Rally's Python ignores it.
    NODE_EXTRA_CA_CERTS: null,
  });
  // exit 1 = an SLA failed: the run itself is still measured
  if (r.code !== 0 && r.code !== 1) throw new Error(`rally-gate failed on ${task} (exit ${r.code}):\n${r.out.slice(-2000)}`);
  return { ...r, ...fromReport(join(outDir, 'task.json')) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4)) : 'n/a');

async function main() {
  const haveRally = !opts['no-rally'] && existsSync('/usr/bin/rally');
  if (process.env.NODE_EXTRA_CA_CERTS) console.log('note: NODE_EXTRA_CA_CERTS is set; rally-gate is measured without it (a plain machine has none; see runRallyGate)');
  if (!existsSync(join(root, 'build/rally-gate.cjs'))) throw new Error('build first: npm run build');
  const rallyEnv = haveRally ? await prepareRally() : undefined;
  if (!haveRally) console.log('Rally is not installed (apt-get install rally): rally-gate figures only.');
  const outRoot = join(root, 'bench', 'out');
  mkdirSync(outRoot, { recursive: true });
  const results = [];
  for (const c of cases) {
    if (c.cloud && !devCloudUp()) {
      console.log(`\n[${c.id}] ${c.what}: skipped, the dev cloud is not up (scripts/dev-cloud up)`);
      continue;
    }
    const runs = { 'rally-gate': [], rally: [] };
    for (let i = 0; i < repeats; i++) {
      const dir = mkdtempSync(join(tmpdir(), `rg-bench-${c.id}-`));
      runs['rally-gate'].push(c.metrics(await runRallyGate(c.task, dir, c.cloud)));
      if (rallyEnv) runs.rally.push(c.metrics(await runRally(rallyEnv, c.task, dir, c.cloud)));
    }
    const summary = {};
    for (const tool of Object.keys(runs)) {
      if (runs[tool].length === 0) continue;
      summary[tool] = {};
      for (const metric of Object.keys(runs[tool][0])) summary[tool][metric] = median(runs[tool].map((r) => r[metric]));
    }
    const verdicts = c.targets.map((t) => ({
      ...t,
      met: summary.rally || !t.rule.includes('Rally') ? t.check(summary['rally-gate'], summary.rally) : undefined,
    }));
    results.push({ id: c.id, what: c.what, repeats, runs, median: summary, targets: verdicts.map(({ check, ...v }) => v) });

    console.log(`\n[${c.id}] ${c.what}  (median of ${repeats})`);
    console.log(`  ${'metric'.padEnd(16)} ${'rally-gate'.padStart(11)} ${'Rally'.padStart(11)} ${'ratio'.padStart(9)}`);
    for (const metric of Object.keys(summary['rally-gate'])) {
      const g = summary['rally-gate'][metric];
      const p = summary.rally?.[metric];
      const ratio = p === undefined || g === 0 ? '' : metric.includes('/s') ? `${fmt(g / p)}x` : `1/${fmt(p / g)}`;
      console.log(`  ${metric.padEnd(16)} ${fmt(g).padStart(11)} ${(p === undefined ? '-' : fmt(p)).padStart(11)} ${ratio.padStart(9)}`);
    }
    for (const v of verdicts) console.log(`  target ${v.metric} ${v.rule}: ${v.met === undefined ? 'not measured' : v.met ? 'MET' : 'MISSED'}`);
  }
  const file = join(outRoot, 'results.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`\nwritten: ${file}`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
