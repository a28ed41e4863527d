/**
 * `rally-gate run`: the gate. Runs every task of the gate settings, judges SLAs and the baseline,
 * writes the reports (task.json per task, one junit.xml, summary.md, verdict.json) and stores the
 * run as a baseline when asked to and the ref is trusted. Exit 0 pass, 1 SLA failure / regression /
 * new failures, 2 invalid input, 3 runtime error (docs/gate.md).
 */
import { ExitCode } from '../../common/errors.js';
import { parseFingerprintFacts, runGate, verificationVerdict } from '../../gate/run-gate.js';
import { verdictLine } from '../../gate/report.js';
import { DEFAULT_SETTINGS_FILE } from '../../gate/settings.js';
import { cloudOptions } from '../cloud.js';
import { parseCommandArgs } from '../options.js';
import { createDeployProgress } from './deploy.js';
import { createProgressReporter } from '../progress.js';
import { watchStopSignals } from '../signals.js';

export const GATE_RUN_USAGE = `rally-gate run [options]: run the gate's tasks, judge SLAs and the baseline, write reports

  --settings FILE     gate settings (default ${DEFAULT_SETTINGS_FILE}; without it: every task in rally-jobs/, no baseline)
  --out DIR           results folder (default rally-gate-results)
  --store-baseline    store this run as a baseline when the ref is trusted (never from a pull request)
  --branch NAME       branch measured (default: from CI variables)
  --event NAME        push, schedule, pull_request, ... (default: from CI variables)
  --commit SHA        commit measured (default: from CI variables, else git rev-parse HEAD)
  --base-ref REF      compare with runs at or before the merge base of HEAD and REF (e.g. origin/main)
  --fingerprint K=V   extra facts for the cloud fingerprint (repeatable, comma-separated)
  --deployment FILE   deploy DevStack over SSH onto the nodes of FILE first and run against it (docs/deploy.md)
  --verify            verify the cloud with Tempest first, as the settings' "verify:" section says (the
                      default when there is one; docs/verify.md)
  --verify-settings FILE  verify with the Tempest settings of FILE instead
  --skip-verify       do not verify, even when the settings have a "verify:" section
  --no-progress       plain lines only
  --os-cloud, --os-region-name, --env-spec   the cloud, as for task start`;

export async function gateRunCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('run', argv, {
    settings: { type: 'string' },
    out: { type: 'string', default: 'rally-gate-results' },
    'store-baseline': { type: 'boolean', default: false },
    branch: { type: 'string' },
    event: { type: 'string' },
    commit: { type: 'string' },
    'base-ref': { type: 'string' },
    fingerprint: { type: 'string', multiple: true, default: [] },
    deployment: { type: 'string' },
    verify: { type: 'boolean' },
    'verify-settings': { type: 'string' },
    'skip-verify': { type: 'boolean', default: false },
    'no-progress': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...cloudOptions,
  });
  if (values.help) {
    process.stdout.write(`${GATE_RUN_USAGE}\n`);
    return ExitCode.ok;
  }
  const progress = createProgressReporter(process.stderr, !values['no-progress']);
  const stopSignals = watchStopSignals((signal) =>
    progress.note(`rally-gate: ${signal} received: no new iterations; finishing in-flight ones and cleaning up (again to exit at once)`),
  );
  try {
    const result = await runGate({
      ...(values.settings !== undefined ? { settingsFile: values.settings } : {}),
      outDir: values.out,
      storeBaseline: values['store-baseline'],
      origin: {
        ...(values.branch !== undefined ? { branch: values.branch } : {}),
        ...(values.event !== undefined ? { event: values.event } : {}),
        ...(values.commit !== undefined ? { commit: values.commit } : {}),
      },
      ...(values['base-ref'] !== undefined ? { baseRef: values['base-ref'] } : {}),
      fingerprint: parseFingerprintFacts(values.fingerprint),
      cloud: values,
      ...(values['skip-verify'] ? { verify: false } : values['verify-settings'] !== undefined ? { verify: values['verify-settings'] } : values.verify ? { verify: true } : {}),
      ...(values.deployment !== undefined ? { deploymentFile: values.deployment, deployProgress: createDeployProgress(process.stderr, !values['no-progress']) } : {}),
      stop: stopSignals,
      progress,
      print: (text) => process.stdout.write(text),
      color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
    });
    process.stdout.write(`\n${verdictLine(result.judgement, result.verification ? verificationVerdict(result.verification) : undefined).replace(/:[a-z_]+: /, '').replace(/\*\*/g, '')}\n`);
    process.stdout.write(`baseline: ${result.baselineNote}\nbaseline store: ${result.storeNote}\nresults: ${result.files.outDir}/{summary.md,verdict.json,junit.xml,${result.files.html ? 'report.html,' : ''}tasks/}\n`);
    return result.exitCode;
  } finally {
    stopSignals.dispose();
  }
}
