/** Shared by the integration tests that run the CLI against the dev cloud (scripts/dev-cloud up). */
import { join } from 'node:path';
import { runCli, type CliRun } from './cli.js';

/** RALLY_GATE_DEV_CLOUD=1 says the dev cloud is up (CI sets it after `scripts/dev-cloud up`). */
export const DEV_CLOUD_ENABLED = process.env['RALLY_GATE_DEV_CLOUD'] === '1';
export const DEV_CLOUD_STATE_DIR = process.env['RALLY_GATE_DEV_CLOUD_DIR'] ?? '/var/lib/rally-gate/dev-cloud';
export { repoRoot } from './cli.js';
export const devCloudEnv = { OS_CLIENT_CONFIG_FILE: join(DEV_CLOUD_STATE_DIR, 'clouds.yaml') };

export type { CliRun } from './cli.js';

/**
 * Runs the built CLI with the dev cloud's clouds.yaml; with `killAfterOutput`, sends SIGINT
 * `killDelayMs` after the output first matches it (Ctrl-C mid-run).
 */
export function cli(args: string[], killAfterOutput?: RegExp, killDelayMs = 0): Promise<CliRun> {
  return runCli(args, { env: devCloudEnv, ...(killAfterOutput ? { killAfterOutput, killDelayMs } : {}) });
}
