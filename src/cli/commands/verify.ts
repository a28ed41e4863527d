/**
 * `rally-gate verify`: checks the cloud with Tempest before it is benchmarked, like `rally verify
 * start`. Writes <out>/verify/{tempest.conf (secrets masked), subunit.bin, results.json,
 * junit.xml, summary.md}. Exit 0 all passed (xfail counts as passed), 1 failures, 2 bad input,
 * 3 tempest could not run, 130/143 interrupted (resources are deleted first). With
 * --on-controller DEPLOYMENT_FILE tempest runs on that deployment's controller over SSH.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, InputError } from '../../common/errors.js';
import { loadDeploymentFile } from '../../deploy/devstack/plan.js';
import type { CommandRunner } from '../../verify/command-runner.js';
import {
  compareVerifications,
  failureSummary,
  loadTestList,
  loadTestReasons,
  loadVerificationResult,
  loadVerificationSettings,
  runVerification,
  writeVerificationReports,
  type VerificationResult,
  type VerificationSettings,
  type VerifyProgressEvent,
} from '../../verify/index.js';
import { cloudOptions, credentialFromOptions } from '../cloud.js';
import { parseCommandArgs } from '../options.js';
import { watchStopSignals } from '../signals.js';

/** Settings file first, then the flags over it. */
function settingsFrom(values: Record<string, string | boolean | undefined>): VerificationSettings {
  const settings: VerificationSettings = typeof values['settings'] === 'string' ? loadVerificationSettings(values['settings']) : {};
  const flag = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  if (flag('set') !== undefined || flag('pattern') !== undefined) {
    // a selection on the command line replaces the file's
    delete settings.set;
    delete settings.pattern;
    if (flag('set') !== undefined) settings.set = flag('set')!;
    if (flag('pattern') !== undefined) settings.pattern = flag('pattern')!;
  }
  if (flag('load-list') !== undefined) settings.loadList = loadTestList(flag('load-list')!);
  if (flag('skip-list') !== undefined) settings.skipList = { ...settings.skipList, ...loadTestReasons(flag('skip-list')!, 'skip list') };
  if (flag('xfail-list') !== undefined) settings.xfailList = { ...settings.xfailList, ...loadTestReasons(flag('xfail-list')!, 'xfail list') };
  if (flag('tempest') !== undefined) settings.tempest = flag('tempest')!;
  const concurrency = flag('concurrency');
  if (concurrency !== undefined) {
    if (!/^\d+$/.test(concurrency)) throw new InputError(`--concurrency ${concurrency}: expected a whole number >= 0`);
    settings.concurrency = Number(concurrency);
  }
  return settings;
}

/** Live progress: one redrawn line on a terminal; in CI logs a line per failure and a heartbeat. */
function progressPrinter(enabled: boolean): (event: VerifyProgressEvent) => void {
  const out = process.stdout;
  const tty = enabled && out.isTTY;
  let current = '';
  let lastBeat = Date.now();
  let drawn = false;
  const line = (text: string): void => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
    out.write(`${text}\n`);
  };
  return (event) => {
    if (event.kind === 'step') return line(event.message);
    const e = event.event;
    if (e.kind === 'started') current = e.id;
    if (e.kind === 'finished' && (e.test.status === 'fail' || e.test.status === 'uxsuccess')) {
      const why = failureSummary(e.test.traceback ?? e.test.reason, 200);
      line(`${e.test.status.toUpperCase()} ${e.test.id}${why ? `: ${why}` : ''}`);
    }
    if (e.kind === 'class-level' && e.status === 'fail') line(`FAIL ${e.id}`);
    const status = `${event.done} tests done, ${event.failed} failed${current ? `, running ${current}` : ''}`;
    if (tty) {
      out.write(`\r\x1b[2K${status.slice(0, Math.max(20, (out.columns ?? 100) - 1))}`);
      drawn = true;
    } else if (Date.now() - lastBeat >= 30_000) {
      lastBeat = Date.now();
      line(status);
    }
  };
}

function summaryLine(result: VerificationResult): string {
  const t = result.totals;
  return `verification ${result.passed ? 'passed' : 'FAILED'}: ${t.tests} tests, ${t.success} passed, ${t.failures} failed, ${t.skipped} skipped, ${t.expectedFailures} expected failures, ${t.unexpectedSuccesses} unexpected successes${t.classFailures ? `, ${t.classFailures} class-level failures` : ''} (${t.duration.toFixed(1)} s)`;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('verify', argv, {
    set: { type: 'string' },
    pattern: { type: 'string' },
    'load-list': { type: 'string' },
    'skip-list': { type: 'string' },
    'xfail-list': { type: 'string' },
    settings: { type: 'string' },
    concurrency: { type: 'string' },
    tempest: { type: 'string' },
    'compare-with': { type: 'string' },
    out: { type: 'string', default: 'rally-gate-results' },
    'no-progress': { type: 'boolean', default: false },
    'keep-workspace': { type: 'boolean', default: false },
    'on-controller': { type: 'string' },
    ...cloudOptions,
  });
  if (positionals.length > 0) throw new InputError(`verify takes no file argument (got "${positionals.join(' ')}"); use --settings FILE`);
  const settings = settingsFrom(values);
  const previous = values['compare-with'] !== undefined ? await loadVerificationResult(values['compare-with']) : undefined;
  const credential = credentialFromOptions(values);
  // read before anything runs: a bad deployment file is an input error (exit 2)
  if (settings.where === 'controller' && values['on-controller'] === undefined) {
    throw new InputError('the verification settings say "where: controller": give the deployment file with --on-controller FILE');
  }
  const deployment = values['on-controller'] !== undefined ? loadDeploymentFile(values['on-controller']) : undefined;
  const outDir = join(values.out, 'verify');
  await mkdir(outDir, { recursive: true });
  const progress = progressPrinter(!values['no-progress']);
  const stop = watchStopSignals((signal) => process.stderr.write(`\nrally-gate: ${signal}: stopping tempest, deleting what was created for it (again to quit at once)\n`));
  let result: VerificationResult;
  let runner: (CommandRunner & { close(): Promise<void> }) | undefined;
  try {
    if (deployment) {
      // loaded on demand: ssh2 only for runs on a controller
      const { SshCommandRunner } = await import('../../verify/ssh-command-runner.js');
      runner = await SshCommandRunner.open(deployment.controller.ssh, { signal: stop.signal });
    }
    result = await runVerification(credential, settings, { outDir, progress, signal: stop.signal, keepWorkspace: values['keep-workspace'], ...(runner ? { runner } : {}) });
  } catch (err) {
    if (stop.received) return stop.received === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
    throw err;
  } finally {
    await runner?.close();
    stop.dispose();
  }
  const comparison = previous ? compareVerifications(previous, result) : undefined;
  await writeVerificationReports(outDir, result, comparison);
  process.stdout.write(`${summaryLine(result)}\n`);
  if (comparison && comparison.newlyFailing.length + comparison.slower.length > 0) {
    process.stdout.write(`against ${values['compare-with']}: ${comparison.newlyFailing.length} newly failing, ${comparison.slower.length} much slower\n`);
  }
  process.stdout.write(`results in ${outDir}/ (results.json, junit.xml, summary.md, subunit.bin, tempest.conf)\n`);
  return result.passed ? ExitCode.ok : ExitCode.slaFailed;
}
