/** Shared by the integration tests that run the CLI against the dev cloud (scripts/dev-cloud up). */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** RALLY_GATE_DEV_CLOUD=1 says the dev cloud is up (CI sets it after `scripts/dev-cloud up`). */
export const DEV_CLOUD_ENABLED = process.env['RALLY_GATE_DEV_CLOUD'] === '1';
export const DEV_CLOUD_STATE_DIR = process.env['RALLY_GATE_DEV_CLOUD_DIR'] ?? '/var/lib/rally-gate/dev-cloud';
export const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/rally-gate.js');
export const devCloudEnv = { OS_CLIENT_CONFIG_FILE: join(DEV_CLOUD_STATE_DIR, 'clouds.yaml') };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI with the dev cloud's clouds.yaml; with `killAfterOutput`, sends SIGINT
 * `killDelayMs` after the output first matches it (Ctrl-C mid-run).
 */
export function cli(args: string[], killAfterOutput?: RegExp, killDelayMs = 0): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, ...devCloudEnv, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const maybeKill = (): void => {
      if (killAfterOutput && !killed && killAfterOutput.test(stdout + stderr)) {
        killed = true;
        setTimeout(() => child.kill('SIGINT'), killDelayMs);
      }
    };
    child.stdout.on('data', (d) => ((stdout += d), maybeKill()));
    child.stderr.on('data', (d) => ((stderr += d), maybeKill()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
