/**
 * The rally-gate command line. Thin: parses arguments, calls one command, maps errors to exit codes
 * (0 passed, 1 an SLA failed, 2 invalid input, 3 runtime or infrastructure error; docs/exit-codes.md).
 */
import { ExitCode, InfraError, InputError } from '../common/errors.js';
import { cleanupCommand } from './commands/cleanup.js';
import { taskStartCommand } from './commands/task-start.js';
import { taskValidateCommand } from './commands/task-validate.js';
import { VERSION } from './version.js';

const USAGE = `rally-gate ${VERSION}: a performance gate for OpenStack that runs Rally task files

Usage:
  rally-gate task start FILE [options]     run a task, judge its SLAs, write reports
  rally-gate task validate FILE [options]  check a task file and run nothing
  rally-gate run [--settings FILE] [options]
                                           the gate: run the project's tasks, compare with the baseline
  rally-gate report INPUT... [--out FILE]  one self-contained HTML report from results folders or Rally JSON
  rally-gate cleanup [--task UUID] [--only NAME] [--dry-run] [cloud options]
                                           delete what killed runs left (Rally's s_rally_/c_rally_ names)
  rally-gate verify [--set NAME|--pattern RE] [--skip-list F] [--xfail-list F] [--settings F] [cloud options]
                                           check the cloud with Tempest (docs/verify.md)
  rally-gate deploy FILE [--out DIR] [--destroy]
                                           deploy DevStack over SSH onto the nodes of FILE (docs/deploy.md)
  rally-gate version

Task options:
  --task-args ARGS        task arguments: YAML/JSON mapping, or k1=v1,k2=v2
  --task-args-file FILE   task arguments from a YAML/JSON file (--task-args wins)
  --out DIR               where results go (default: rally-gate-results)
  --abort-on-sla-failure  stop a workload at its first SLA failure and skip the rest
  --no-progress           plain lines only, no progress bar
  --no-html               (start) skip report.html
  --os-cloud NAME         the cloud in clouds.yaml (else OS_CLOUD, else OS_* variables)
  --os-region-name NAME   region of that cloud
  --env-spec FILE         a Rally env/deployment spec (existing cloud, admin or existing users)
  --print-normalized      (validate) print the task in Rally's normalised v2 form

Exit codes: 0 all SLAs passed, 1 an SLA failed, 2 invalid input, 3 runtime error,
130/143 interrupted (partial results are written).`;

export async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  try {
    if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return group === undefined ? ExitCode.invalidInput : ExitCode.ok;
    }
    if (group === 'version' || group === '--version') {
      process.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (group === 'run') return await (await import('./commands/run.js')).gateRunCommand(argv.slice(1));
    if (group === 'task' && command === 'start') return await taskStartCommand(rest);
    if (group === 'task' && command === 'validate') return await taskValidateCommand(rest);
    if (group === 'report') return await (await import('./commands/report.js')).reportCommand(argv.slice(1));
    if (group === 'cleanup') return await cleanupCommand(argv.slice(1));
    if (group === 'verify') return await (await import('./commands/verify.js')).verifyCommand(argv.slice(1));
    if (group === 'deploy') return await (await import('./commands/deploy.js')).deployCommand(argv.slice(1));
    throw new InputError(`unknown command "${[group, command].filter(Boolean).join(' ')}"; run "rally-gate help"`);
  } catch (err) {
    return reportError(err);
  }
}

/** Prints an error the way its kind deserves and returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`rally-gate: error: ${err.format()}\n`);
    return ExitCode.invalidInput;
  }
  if (err instanceof InfraError) {
    process.stderr.write(`rally-gate: ${err.message}\n`);
    return ExitCode.runtimeError;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`rally-gate: internal error (please report it): ${text}\n`);
  return ExitCode.runtimeError;
}
