/**
 * The CLI end to end, as a gate job runs it: a real process, real files, exit codes.
 * Needs the build (npm test builds first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/rally-gate.js');

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { killAfterMs?: number; killSignal?: NodeJS.Signals } = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    if (options.killAfterMs !== undefined) {
      setTimeout(() => child.kill(options.killSignal ?? 'SIGINT'), options.killAfterMs);
    }
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

interface BadCase {
  file: string;
  taskArgs?: string;
  taskArgsFile?: string;
  expect: string;
  line?: number;
  errorFile?: string;
  path?: string;
}

const outDir = () => mkdtempSync(join(tmpdir(), 'rally-gate-cli-'));

describe('rally-gate CLI', () => {
  it('prints its version and usage', async () => {
    const version = await cli(['version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('rally-gate task start FILE');
  });

  it('runs the README main job: the self-test task passes every SLA and writes the reports', async () => {
    const out = outDir();
    const run = await cli(['task', 'start', 'rally-jobs/self-test.yaml', '--out', out, '--no-progress']);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Response Times (sec)');
    expect(run.stdout).toContain('all SLA criteria passed');
    const report = JSON.parse(readFileSync(join(out, 'task.json'), 'utf8'));
    expect(report.info.format_version).toBe('1.2');
    const workloads = report.tasks[0].subtasks.flatMap((s: { workloads: unknown[] }) => s.workloads);
    expect(workloads).toHaveLength(6);
    for (const w of workloads) expect(w.pass_sla).toBe(true);
    const hooked = workloads.find((w: { hooks: unknown[] }) => w.hooks.length > 0);
    expect(hooked.hooks[0].summary).toEqual({ success: 2 });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite');
    expect(junit).not.toContain('<failure');
    expect(readdirSync(join(out, 'iterations'))).toHaveLength(6);
  }, 60_000);

  it('exits 1 when an SLA fails, and says which', async () => {
    const out = outDir();
    const run = await cli(['task', 'start', 'test/fixtures/tasks/sla-fail.yaml', '--out', out, '--no-progress']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/max_seconds_per_iteration\s*\|\s*FAIL/);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<failure');
  });

  it('--abort-on-sla-failure stops the failing workload early and runs no further workload', async () => {
    const out = outDir();
    const run = await cli(['task', 'start', 'test/fixtures/tasks/sla-abort.yaml', '--out', out, '--no-progress', '--abort-on-sla-failure']);
    expect(run.code).toBe(1);
    const task = JSON.parse(readFileSync(join(out, 'task.json'), 'utf8')).tasks[0];
    expect(task.status).toBe('aborted');
    expect(task.subtasks).toHaveLength(1);
    const workload = task.subtasks[0].workloads[0];
    expect(workload.total_iteration_count).toBeLessThan(50);
    const criteria = workload.sla_results.sla.map((r: { criterion: string; success: boolean }) => `${r.criterion}:${r.success}`);
    expect(criteria).toEqual(['max_seconds_per_iteration:false', 'aborted_on_sla:false']);
  });

  it('exits 2 with one clear message and runs nothing when the task is invalid', async () => {
    const out = join(outDir(), 'never-created');
    const run = await cli(['task', 'start', 'test/fixtures/tasks/does-not-exist.yaml', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does-not-exist\.yaml/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to start a task that needs plugins rally-gate lacks, naming them', async () => {
    const file = '../shared/corpus/rally-jobs/rally-openstack__heat.yaml';
    if (!existsSync(join(root, file))) return;
    const out = join(outDir(), 'never-created');
    const run = await cli(['task', 'start', file, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HeatStacks\.\w+.*does not implement yet/);
    expect(existsSync(out)).toBe(false);
  });

  it('validates without running and prints the normalised task', async () => {
    const run = await cli(['task', 'validate', 'rally-jobs/self-test.yaml', '--print-normalized']);
    expect(run.code).toBe(0);
    const normalized = JSON.parse(run.stdout);
    expect(normalized.version).toBe(2);
    expect(normalized.subtasks[0].workloads[0].runner).toEqual({ constant: { times: 100, concurrency: 10 } });
    const scaled = await cli(['task', 'validate', 'rally-jobs/self-test.yaml', '--print-normalized', '--task-args', '{scale: 3}']);
    expect(scaled.code).toBe(0);
    expect(JSON.parse(scaled.stdout).subtasks[0].workloads[0].runner.constant.times).toBe(300);
  });

  describe('every malformed task in test/fixtures/bad/ gives exit 2, one clear message with file:line, and runs nothing', () => {
    const cases = JSON.parse(readFileSync(join(root, 'test/fixtures/bad/cases.json'), 'utf8')) as BadCase[];
    it.each(cases.map((c) => [`${c.file}${c.taskArgs ? ` --task-args ${c.taskArgs}` : ''}${c.taskArgsFile ? ` --task-args-file ${c.taskArgsFile}` : ''}`, c] as const))(
      '%s',
      async (_label, c) => {
        const out = join(outDir(), 'never-created');
        const args = ['task', 'start', join('test/fixtures/bad', c.file), '--out', out];
        if (c.taskArgs !== undefined) args.push('--task-args', c.taskArgs);
        if (c.taskArgsFile !== undefined) args.push('--task-args-file', join('test/fixtures/bad', c.taskArgsFile));
        const run = await cli(args);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain(c.expect);
        const errorFile = c.errorFile ?? c.file;
        if (c.line !== undefined) expect(run.stderr).toContain(`${errorFile.replace(/^.*\//, '')}:${c.line}`);
        if (c.path !== undefined) expect(run.stderr).toContain(c.path);
        expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
        expect(existsSync(out)).toBe(false);
      },
    );
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops on ${signal}: cleanups run, partial results are written, exit ${signal === 'SIGINT' ? 130 : 143}`, async () => {
      const out = outDir();
      const run = await cli(['task', 'start', 'test/fixtures/tasks/long-running.yaml', '--out', out, '--no-progress'], {
        killAfterMs: 1500,
        killSignal: signal,
      });
      expect(run.code).toBe(signal === 'SIGINT' ? 130 : 143);
      const report = JSON.parse(readFileSync(join(out, 'task.json'), 'utf8'));
      const task = report.tasks[0];
      expect(task.status).toBe('aborted');
      expect(task.subtasks).toHaveLength(1);
      const workload = task.subtasks[0].workloads[0];
      expect(workload.total_iteration_count).toBeGreaterThan(0);
      expect(workload.total_iteration_count).toBeLessThan(1000);
      expect(workload.contexts_results[0].cleanup.finished_at).toBeGreaterThan(0);
      expect(workload.sla_results.sla.map((r: { criterion: string }) => r.criterion)).toContain('aborted_manually');
    }, 30_000);
  }
});
