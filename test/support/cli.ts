/** Runs the built CLI (bin/rally-gate.js) in a child process, as users and CI do. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/rally-gate.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** default: the repository */
  cwd?: string;
  /** added to this process's environment (NO_COLOR=1 always) */
  env?: NodeJS.ProcessEnv;
  /** drop the host's CI variables (GITHUB_*, ZUUL_*, ...): the test says what the ref is */
  withoutCiEnv?: boolean;
  /** send SIGINT `killDelayMs` after the output first matches this (Ctrl-C mid-run) */
  killAfterOutput?: RegExp;
  killDelayMs?: number;
}

const CI_VARIABLES = /^(GITHUB_|ZUUL_|JENKINS_URL|GIT_BRANCH|CHANGE_ID)/;

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const inherited = options.withoutCiEnv ? Object.fromEntries(Object.entries(process.env).filter(([k]) => !CI_VARIABLES.test(k))) : process.env;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: { ...inherited, ...options.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const maybeKill = (): void => {
      if (options.killAfterOutput && !killed && options.killAfterOutput.test(stdout + stderr)) {
        killed = true;
        setTimeout(() => child.kill('SIGINT'), options.killDelayMs ?? 0);
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), maybeKill()));
    child.stderr.on('data', (d) => ((stderr += d), maybeKill()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
