// Shared by the benchmarks that run rally-gate and Debian's Rally 3.3.0 side by side (bench/run.js,
// bench/count-requests.mjs): GNU-time measured commands, an isolated Rally home with an env for the
// dev cloud, and the figures read back from a Rally 1.2 JSON report.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command under GNU time; returns wall seconds (monotonic), max RSS of the largest process, cpu. */
/** The parent's environment with `changes` applied; a null value removes the variable. */
function childEnv(changes = {}) {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function timed(cmd, args, env) {
  return new Promise((resolvePromise, reject) => {
    const timeFile = join(tmpdir(), `rg-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, cmd, ...args], {
      cwd: root,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const [maxKiB, user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
      resolvePromise({ code, wall, rssMiB: maxKiB / 1024, cpu: user + sys, out });
    });
  });
}

/** Load duration, iteration count and start rate of the first workload of a Rally 1.2 report. */
export function fromReport(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const w = report.tasks[0].subtasks[0].workloads[0];
  const starts = w.data.map((it) => it.timestamp).sort((x, y) => x - y);
  const span = starts[starts.length - 1] - starts[0];
  const total = w.statistics.durations.total.data;
  const spent = (phase) => w.contexts_results.reduce((sum, c) => sum + (c[phase].finished_at - c[phase].started_at), 0);
  return {
    load: w.load_duration,
    contextSetup: spent('setup'),
    contextCleanup: spent('cleanup'),
    iterations: w.total_iteration_count,
    median: total.median,
    p95: total['95%ile'],
    startRate: starts.length > 1 && span > 0 ? (starts.length - 1) / span : NaN,
  };
}

/** An isolated Rally home: its own rally.conf (Debian's has a broken DB line), sqlite DB and empty env. */
export async function prepareRally() {
  const home = mkdtempSync(join(tmpdir(), 'rg-bench-rally-'));
  mkdirSync(join(home, '.rally'));
  const conf = readFileSync('/etc/rally/rally.conf', 'utf8').replace(
    /^connection=.*$/m,
    `connection=sqlite:///${join(home, '.rally', 'rally.sqlite')}`,
  );
  writeFileSync(join(home, '.rally', 'rally.conf'), conf);
  writeFileSync(join(home, 'empty.json'), '{}');
  const env = { HOME: home };
  for (const args of [['db', 'create'], ['env', 'create', '--name', 'empty', '--spec', join(home, 'empty.json')]]) {
    const r = await timed('rally', args, env);
    if (r.code !== 0) throw new Error(`rally ${args.join(' ')} failed:\n${r.out}`);
  }
  if (devCloudUp()) {
    // Rally's env for the dev cloud, from its openrc (rally env create --from-sysenv)
    const openrc = Object.fromEntries(
      [...readFileSync(join(dirname(devCloudFile), 'openrc'), 'utf8').matchAll(/^export (OS_\w+)=(.*)$/gm)].map((m) => [
        m[1],
        m[2].replace(/^['"]|['"]$/g, ''),
      ]),
    );
    const r = await timed('rally', ['env', 'create', '--name', 'devcloud', '--from-sysenv'], { ...env, ...openrc });
    if (r.code !== 0) throw new Error(`rally env create --from-sysenv failed:\n${r.out}`);
  }
  return env;
}

export const devCloudFile = process.env.RALLY_GATE_DEV_CLOUD_DIR
  ? join(process.env.RALLY_GATE_DEV_CLOUD_DIR, 'clouds.yaml')
  : '/var/lib/rally-gate/dev-cloud/clouds.yaml';

let devCloudState;
/** The dev cloud is up (scripts/dev-cloud status answers for every service). */
export function devCloudUp() {
  if (devCloudState === undefined) {
    devCloudState =
      existsSync(devCloudFile) && spawnSync(join(root, 'scripts/dev-cloud'), ['status'], { stdio: 'ignore' }).status === 0;
  }
  return devCloudState;
}

export async function runRally(env, task, outDir, cloud) {
  const deployment = cloud ? ['--deployment', 'devcloud'] : [];
  const r = await timed('rally', ['task', 'start', '--task', task, ...deployment], env);
  const uuid = /Task ([0-9a-f-]{36}): started/.exec(r.out)?.[1] ?? /task ([0-9a-f-]{36})/i.exec(r.out)?.[1];
  if (!uuid) throw new Error(`rally task start gave no task id (exit ${r.code}):\n${r.out.slice(-2000)}`);
  const file = join(outDir, 'rally-report.json');
  const rep = await timed('rally', ['task', 'report', '--uuid', uuid, '--json', '--out', file], env);
  if (rep.code !== 0) throw new Error(`rally task report failed:\n${rep.out}`);
  return { ...r, ...fromReport(file) };
}
