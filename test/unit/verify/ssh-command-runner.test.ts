/**
 * The shell text SshCommandRunner sends, run for real by this machine's bash and dash under
 * `setsid` (the way OpenSSH starts a session's command: a session and process group leader).
 * The runner over a real sshd is in test/integration/verify-ssh.test.ts.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteCommandLine, remoteKillScript, signalName } from '../../../src/verify/ssh-command-runner.js';

const work = mkdtempSync(join(tmpdir(), 'rg-ssh-runner-unit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// async: a synchronous call would block Node from reaping the killed child, whose zombie still answers kill -0
const runScript = promisify(execFile);

const SHELLS = ['/bin/bash', '/bin/dash'].filter((sh) => existsSync(sh));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(SHELLS)('remoteCommandLine under %s', (shell) => {
  it('runs argv exactly (spaces, quotes, $), in cwd, with env, stdin empty, and records its process group', () => {
    const pidFile = join(work, `${shell.replace(/\//g, '_')}.pid`);
    const line = remoteCommandLine(['/bin/sh', '-c', 'printf "%s|" "$0" "$1" "$(pwd)" "$GREETING"; cat; echo "pgid=$(ps -o pgid= -p $$ | tr -d " ")"', "it's a $HOME", 'two words'], {
      pidFile,
      cwd: work,
      env: { GREETING: 'hello "there"' },
    });
    const result = spawnSync('setsid', ['-w', shell, '-c', line], { encoding: 'utf8', input: 'not for the command' });
    expect(result.status).toBe(0);
    const [args, pgid] = result.stdout.split('pgid=');
    expect(args).toBe(`it's a $HOME|two words|${work}|hello "there"|`);
    // the recorded pid is the command's own process group
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(pgid!.trim());
  });

  it('fails with the shell\'s "not found" exit code for a missing program', () => {
    const line = remoteCommandLine(['/nonexistent/tempest', '--version'], { pidFile: join(work, 'missing.pid') });
    const result = spawnSync('setsid', ['-w', shell, '-c', line], { encoding: 'utf8' });
    expect(result.status).toBe(127);
  });
});

describe.each(SHELLS)('remoteKillScript under %s', (shell) => {
  it('stops the whole process group (a worker in the background too)', async () => {
    const pidFile = join(work, `group-${shell.replace(/\//g, '_')}.pid`);
    const line = remoteCommandLine(['/bin/sh', '-c', 'sleep 60 & echo $! > worker; sleep 60'], { pidFile, cwd: work });
    const child = spawn('setsid', [shell, '-c', line], { stdio: 'ignore' });
    await waitFor(() => existsSync(join(work, 'worker')) && readFileSync(join(work, 'worker'), 'utf8').trim() !== '');
    const leader = Number(readFileSync(pidFile, 'utf8'));
    const worker = Number(readFileSync(join(work, 'worker'), 'utf8'));
    rmSync(join(work, 'worker'));
    expect(alive(leader) && alive(worker)).toBe(true);
    const started = Date.now();
    await runScript(shell, ['-c', remoteKillScript(pidFile, 5)]);
    expect(Date.now() - started).toBeLessThan(4000);
    await waitFor(() => !alive(worker) && !alive(leader));
    child.kill();
  });

  it('sends SIGKILL after the grace period to a command that ignores SIGTERM', async () => {
    const pidFile = join(work, `stubborn-${shell.replace(/\//g, '_')}.pid`);
    const line = remoteCommandLine(['/bin/sh', '-c', 'trap "" TERM; sleep 60'], { pidFile });
    const child = spawn('setsid', [shell, '-c', line], { stdio: 'ignore' });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const leader = Number(readFileSync(pidFile, 'utf8'));
    const started = Date.now();
    await runScript(shell, ['-c', remoteKillScript(pidFile, 0.5)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await waitFor(() => !alive(leader));
    child.kill();
  });

  it('does nothing for a command that already ended', () => {
    const pidFile = join(work, `ended-${shell.replace(/\//g, '_')}.pid`);
    spawnSync('setsid', ['-w', shell, '-c', remoteCommandLine(['true'], { pidFile })]);
    expect(spawnSync(shell, ['-c', remoteKillScript(pidFile, 1)]).status).toBe(0);
  });
});

describe('remoteCommandLine input checks, signal names', () => {
  it('refuses an empty command and bad environment names', () => {
    expect(() => remoteCommandLine([], { pidFile: '/tmp/x' })).toThrow(/empty command/);
    expect(() => remoteCommandLine(['env'], { pidFile: '/tmp/x', env: { 'A;rm -rf /': '1' } })).toThrow(/bad environment variable name/);
  });

  it('maps ssh2 signal names to Node\'s', () => {
    expect(signalName('TERM')).toBe('SIGTERM');
    expect(signalName('SIGKILL')).toBe('SIGKILL');
  });
});
