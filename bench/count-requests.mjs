#!/usr/bin/env node
// Which API calls one iteration makes, rally-gate vs Debian's Rally 3.3.0, on the dev cloud:
//   node bench/count-requests.mjs [--times 20] [--only auth,cdu] [--sequence]
// Each case runs at concurrency 1 through both tools. rally-gate's requests come from node:http's
// diagnostics channels (bench/trace-requests.mjs); Rally's through a logging HTTP forward proxy
// (http_proxy, which python-requests honours). Requests that start inside an iteration's span are
// its calls (the rest of the load window is listed as between iterations); per iteration, per call,
// with ids folded to {id}; --sequence also prints each iteration's calls in order.
// Writes bench/out/requests.json. Needs `npm run build` and the dev cloud.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { devCloudFile, devCloudUp, prepareRally, root, runRally as runRallyTask, timed } from './harness.mjs';

const { values: opts } = parseArgs({
  options: { times: { type: 'string', default: '20' }, only: { type: 'string' }, sequence: { type: 'boolean', default: false } },
});
const times = Number(opts.times);

const cases = [
  {
    id: 'auth',
    what: 'Authenticate.keystone (users 1 x 1)',
    task: `Authenticate.keystone:\n  - runner: {type: constant, times: ${times}, concurrency: 1}\n    context: {users: {tenants: 1, users_per_tenant: 1}}\n`,
  },
  {
    id: 'cdu',
    what: 'KeystoneBasic.create_delete_user',
    task: `KeystoneBasic.create_delete_user:\n  - args: {}\n    runner: {type: constant, times: ${times}, concurrency: 1}\n`,
  },
].filter((c) => !opts.only || opts.only.split(',').includes(c.id));

/** "GET /v3/users/3f2a..." -> "GET :5000/v3/users/{id}": one line per kind of call. */
function callKind(method, url) {
  const u = new URL(url);
  const path = u.pathname
    .replace(/\/[0-9a-f]{32}(?=\/|$)/g, '/{id}')
    .replace(/\/[0-9a-f-]{36}(?=\/|$)/g, '/{id}')
    .replace(/\/+$/, '');
  const query = u.search ? `?${[...u.searchParams.keys()].map((k) => `${k}=...`).join('&')}` : '';
  return `${method} :${u.port}${path || '/'}${query}`;
}

/** The load window (epoch ms) and iteration count of a Rally 1.2 report's first workload. */
function loadWindow(file) {
  const w = JSON.parse(readFileSync(file, 'utf8')).tasks[0].subtasks[0].workloads[0];
  const starts = w.data.map((it) => it.timestamp * 1000);
  const ends = w.data.map((it) => (it.timestamp + it.duration) * 1000);
  const spans = w.data.map((it) => [it.timestamp * 1000, (it.timestamp + it.duration) * 1000]).sort((a, b) => a[0] - b[0]);
  return { from: Math.min(...starts), to: Math.max(...ends), spans, iterations: w.data.length, failed: w.data.filter((it) => it.error.length > 0).length };
}

/** Each iteration's calls, in order (concurrency 1: iterations do not overlap). */
function callsByIteration(requests, window) {
  return window.spans.map(([from, to]) =>
    requests
      .filter((r) => r.t >= from && r.t <= to)
      .sort((a, b) => a.t - b.t)
      .map((r) => callKind(r.method, r.url).replace(/^(\w+) :5000/, '$1 ')),
  );
}

/** Calls per iteration inside the iterations' own spans; "(between iterations)" counts the load's other calls. */
function perIteration(requests, window) {
  const counts = new Map();
  const add = (kind) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  for (const r of requests) {
    if (r.t < window.from || r.t > window.to) continue;
    const inside = window.spans.some(([from, to]) => r.t >= from && r.t <= to);
    add(inside ? callKind(r.method, r.url) : `(between iterations) ${callKind(r.method, r.url)}`);
  }
  return Object.fromEntries([...counts].map(([kind, n]) => [kind, n / window.iterations]));
}

async function runRallyGate(taskFile, dir) {
  const trace = join(dir, 'trace.tsv');
  const out = join(dir, 'rally-gate');
  const r = await timed(
    process.execPath,
    ['--import', join(root, 'bench/trace-requests.mjs'), join(root, 'bin/rally-gate.js'), 'task', 'start', taskFile, '--os-cloud', 'dev-cloud', '--out', out, '--no-progress'],
    { OS_CLIENT_CONFIG_FILE: devCloudFile, RALLY_GATE_TRACE_FILE: trace },
  );
  if (r.code !== 0 && r.code !== 1) throw new Error(`rally-gate exited ${r.code}:\n${r.out.slice(-2000)}`);
  const requests = readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((f) => f[2] !== 'EXIT')
    .map(([t, , method, url]) => ({ t: Number(t), method, url }));
  return { requests, window: loadWindow(join(out, 'task.json')) };
}

/** A forward proxy that logs each request it relays (plain HTTP only: the dev cloud has no TLS). */
async function startLoggingProxy() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ t: Date.now(), method: req.method, url: req.url });
    const upstream = httpRequest(req.url, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { requests, port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function runRally(rallyEnv, taskFile, dir) {
  const proxy = await startLoggingProxy();
  try {
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    const env = { ...rallyEnv, http_proxy: proxyUrl, HTTP_PROXY: proxyUrl, no_proxy: '', NO_PROXY: '' };
    await runRallyTask(env, taskFile, dir, true);
    return { requests: proxy.requests, window: loadWindow(join(dir, 'rally-report.json')) };
  } finally {
    await proxy.close();
  }
}

async function main() {
  if (!devCloudUp()) throw new Error('the dev cloud is not up (scripts/dev-cloud up)');
  const rallyEnv = await prepareRally();
  const results = [];
  for (const c of cases) {
    const dir = mkdtempSync(join(tmpdir(), `rg-count-${c.id}-`));
    const taskFile = join(dir, 'task.yaml');
    writeFileSync(taskFile, c.task);
    const gate = await runRallyGate(taskFile, dir);
    const rally = await runRally(rallyEnv, taskFile, dir);
    const ours = perIteration(gate.requests, gate.window);
    const theirs = perIteration(rally.requests, rally.window);
    const summary = ({ spans, ...window }, perIteration) => ({ ...window, perIteration });
    results.push({ id: c.id, what: c.what, times, rallyGate: summary(gate.window, ours), rally: summary(rally.window, theirs) });
    console.log(`\n[${c.id}] ${c.what}, ${times} iterations at concurrency 1: calls per iteration`);
    console.log(`  ${'call'.padEnd(48)} ${'rally-gate'.padStart(10)} ${'Rally'.padStart(8)}`);
    for (const kind of [...new Set([...Object.keys(theirs), ...Object.keys(ours)])]) {
      console.log(`  ${kind.padEnd(48)} ${(ours[kind] ?? 0).toFixed(2).padStart(10)} ${(theirs[kind] ?? 0).toFixed(2).padStart(8)}`);
    }
    console.log(`  failed iterations: rally-gate ${gate.window.failed}, Rally ${rally.window.failed}`);
    if (opts.sequence) {
      for (const [tool, run] of [['rally-gate', gate], ['Rally', rally]]) {
        callsByIteration(run.requests, run.window).forEach((calls, i) => console.log(`  ${tool} iteration ${i + 1}: ${calls.join(', ')}`));
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(root, 'bench', 'out'), { recursive: true });
  const file = join(root, 'bench', 'out', 'requests.json');
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`\nwritten: ${file}`);
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
