/**
 * Cloud verification with Tempest (docs/verify.md): the public entry points for the CLI and for
 * `rally-gate run`'s verification stage.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerificationComparison } from './compare.js';
import { renderVerificationJUnit } from './junit.js';
import { renderVerificationMarkdown } from './markdown.js';
import type { VerificationResult } from './types.js';

export { runVerification, selectionArgs, TEST_SETS, type RunVerificationOptions, type VerifyProgressEvent } from './run.js';
export { compareVerifications, loadVerificationResult, DEFAULT_SLOWDOWN, type VerificationComparison, type SlowdownThresholds } from './compare.js';
export { renderVerificationMarkdown } from './markdown.js';
export { renderVerificationJUnit } from './junit.js';
export { loadVerificationSettings, loadTestList, loadTestReasons } from './settings.js';
export { failureSummary } from './results.js';
export { LocalCommandRunner, type CommandRunner, type RunningCommand } from './command-runner.js';
export * from './types.js';

/** Writes results.json, junit.xml and summary.md into `dir` (next to runVerification's tempest.conf and subunit.bin). */
export async function writeVerificationReports(dir: string, result: VerificationResult, comparison?: VerificationComparison): Promise<void> {
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(dir, 'junit.xml'), renderVerificationJUnit(result));
  await writeFile(join(dir, 'summary.md'), renderVerificationMarkdown(result, comparison));
}
