/**
 * One verification, start to end: tempest workspace (`tempest init`), tempest.conf from the cloud,
 * resources created, `tempest run --subunit` with the selection, the stream parsed live into
 * results, resources deleted, the workspace removed. Outputs in <outDir>: tempest.conf (secrets
 * masked) and subunit.bin (the raw stream, for subunit2html and friends).
 *
 * Errors: bad settings are InputError (exit 2); tempest missing, not starting, or writing a damaged
 * stream are InfraError (exit 3). Test failures are results, not errors.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { InfraError, InputError } from '../common/errors.js';
import { credentialSecrets, describeCredential, redactSecrets, type CloudCredential } from '../cloud/credential.js';
import { OpenStackCloud } from '../openstack/index.js';
import { LocalCommandRunner, collectTail, runToEnd, type CommandRunner } from './command-runner.js';
import { VerificationCollector, listedReason, verificationPassed, type TestProgressEvent } from './results.js';
import { SubunitParseError, parseSubunit } from './subunit.js';
import { buildTempestConfig, createTempestResources, discoverCloudFacts, renderIni, type CreatedResources } from './tempest-config.js';
import type { VerificationResult, VerificationSettings } from './types.js';

/** Rally's test sets (rally_openstack/verification/tempest/consts.py): full, smoke, and tempest.api.<set>. */
export const API_TEST_SETS = [
  'baremetal',
  'clustering',
  'compute',
  'data_processing',
  'database',
  'identity',
  'image',
  'messaging',
  'network',
  'object_storage',
  'orchestration',
  'telemetry',
  'volume',
] as const;
export const TEST_SETS = ['full', 'smoke', 'scenario', ...API_TEST_SETS] as const;

/** tempest run's selection arguments for a set or a regex. */
export function selectionArgs(settings: Pick<VerificationSettings, 'set' | 'pattern'>): string[] {
  if (settings.set !== undefined && settings.pattern !== undefined) {
    throw new InputError(`give a test set or a pattern, not both (set ${settings.set}, pattern ${settings.pattern})`);
  }
  if (settings.pattern !== undefined) return ['--regex', settings.pattern];
  const set = settings.set;
  if (set === undefined || set === 'full') return [];
  if (set === 'smoke') return ['--smoke'];
  if (set === 'scenario') return ['--regex', '^tempest\\.scenario\\.'];
  if ((API_TEST_SETS as readonly string[]).includes(set)) return ['--regex', `^tempest\\.api\\.${set}\\.`];
  throw new InputError(`unknown test set "${set}"; known sets: ${TEST_SETS.join(', ')}`);
}

/** A Python regex matching a test id exactly (with any [attributes] when the id has none). */
export function exactTestRegex(id: string): string {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return id.includes('[') ? `^${escaped}$` : `^${escaped}(\\[.*\\])?$`;
}

/**
 * The telling lines of tempest's plain output (a discovery failure: a bad tempest.conf value, an
 * import error), without traceback frames and repeats.
 */
export function errorLines(output: string, max = 8): string {
  const seen = new Set<string>();
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    if (line === '' || /^\s/.test(line) || /^(Traceback|During handling|=+|-+|--- .* ---)/.test(line) || /^Failures during discovery/.test(line)) continue;
    if (/ArgsAlreadyParsedError/.test(line)) continue; // a follow-on of the first import error
    seen.add(line);
    if (seen.size >= max) break;
  }
  return [...seen].join('\n');
}

export function validateSettings(settings: VerificationSettings): void {
  selectionArgs(settings);
  if (settings.concurrency !== undefined && (!Number.isInteger(settings.concurrency) || settings.concurrency < 0)) {
    throw new InputError(`concurrency must be a whole number >= 0 (0: one worker per CPU), got ${settings.concurrency}`);
  }
  if (settings.resourcePrefix !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(settings.resourcePrefix)) {
    throw new InputError(`resource prefix "${settings.resourcePrefix}": use letters, digits, "_", "-", "."`);
  }
}

export type VerifyProgressEvent =
  | { kind: 'step'; message: string }
  | { kind: 'test'; event: TestProgressEvent; done: number; failed: number };

export interface RunVerificationOptions {
  /** where tempest.conf (masked) and subunit.bin go; created if missing */
  outDir: string;
  progress?: (event: VerifyProgressEvent) => void;
  signal?: AbortSignal;
  /** where tempest runs (default: this machine) */
  runner?: CommandRunner;
  /** keep the tempest workspace (with the real tempest.conf) for debugging */
  keepWorkspace?: boolean;
}

/** `tempest --version` ("tempest 33.0.0"), or InfraError when tempest cannot be started. */
async function tempestVersion(runner: CommandRunner, tempest: string): Promise<string> {
  const result = await runToEnd(runner, [tempest, '--version']);
  if (result.spawnError || result.code !== 0) {
    const why = result.spawnError ? result.spawnError.message : `exit code ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').at(-1) ?? ''}`;
    throw new InfraError(`tempest could not be started (${runner.describe()} "${tempest}"): ${why}; install Debian's tempest package or give --tempest PATH`);
  }
  return (result.stdout + result.stderr).trim().split('\n').at(-1) ?? '';
}

function selectionSummary(settings: VerificationSettings): VerificationResult['selection'] {
  return {
    ...(settings.set !== undefined ? { set: settings.set } : {}),
    ...(settings.pattern !== undefined ? { pattern: settings.pattern } : {}),
    ...(settings.loadList ? { loadList: settings.loadList.length } : {}),
    ...(settings.skipList ? { skipList: Object.keys(settings.skipList).length } : {}),
    ...(settings.xfailList ? { xfailList: Object.keys(settings.xfailList).length } : {}),
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
  };
}

/**
 * Runs tempest against the cloud of `credential` and returns the results. Test failures are in
 * the result (`passed: false`); it throws only when the verification could not be done.
 */
export async function runVerification(
  credential: CloudCredential,
  settings: VerificationSettings,
  options: RunVerificationOptions,
): Promise<VerificationResult> {
  validateSettings(settings);
  const runner = options.runner ?? new LocalCommandRunner();
  const step = (message: string): void => options.progress?.({ kind: 'step', message });
  const secrets = credentialSecrets(credential);
  const tempest = settings.tempest ?? 'tempest';
  const startedAt = new Date();
  await mkdir(options.outDir, { recursive: true });

  const version = await tempestVersion(runner, tempest);
  const workspace = await runner.makeTempDir('rally-gate-verify-');
  const tempestDir = join(workspace, 'tempest');
  const cloud = new OpenStackCloud(credential, { userAgent: 'rally-gate verify' });
  let resources: CreatedResources | undefined;
  try {
    step(`${version} (${runner.describe()}), workspace ${workspace}`);
    // tempest init locks its workspace registry in the global tempest.conf's lock_path (Debian:
    // /var/lock), whose lock file another user may own (a non-root login on a controller fails
    // silently): a config of our own points the lock into the private workspace.
    await runner.writeFile(join(workspace, 'init.conf'), `[oslo_concurrency]\nlock_path = ${workspace}\n`);
    const initEnv = { TEMPEST_CONFIG_DIR: workspace, TEMPEST_CONFIG: 'init.conf' };
    const init = await runToEnd(runner, [tempest, 'init', '--workspace-path', join(workspace, 'workspace.yaml'), tempestDir], { env: initEnv });
    if (init.code !== 0) throw new InfraError(`tempest init failed (exit ${init.code}): ${(init.stderr.trim() || init.stdout.trim()).split('\n').at(-1) ?? ''}`);

    step(`reading the cloud: ${describeCredential(credential)}`);
    const admin = cloud.admin();
    const facts = await discoverCloudFacts(credential, admin, options.signal).catch((err: unknown) => {
      if (err instanceof InputError) throw err;
      throw new InfraError(`reading the cloud for tempest.conf: ${redactSecrets((err as Error).message, secrets)}`, { cause: err });
    });
    if (settings.createResources !== false) {
      resources = await createTempestResources(admin, facts, {
        prefix: settings.resourcePrefix ?? 'rally-gate-verify',
        ...(settings.overrides ? { overrides: settings.overrides } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        log: (line) => step(line),
      }).catch((err: unknown) => {
        throw new InfraError(redactSecrets((err as Error).message, secrets), { cause: err });
      });
    }
    const config = buildTempestConfig(facts, resources ?? {}, { logDir: join(tempestDir, 'logs'), lockDir: join(tempestDir, 'tempest_lock') }, settings.overrides);
    const configFile = join(tempestDir, 'etc', 'tempest.conf');
    await runner.writeFile(configFile, renderIni(config), 0o600);
    await writeFile(join(options.outDir, 'tempest.conf'), redactSecrets(renderIni(config, { mask: true }), secrets));

    const argv = [tempest, 'run', '--subunit', '--config-file', configFile, ...selectionArgs(settings)];
    if (settings.concurrency === 1) argv.push('--serial');
    else if (settings.concurrency !== undefined && settings.concurrency > 1) argv.push('--concurrency', String(settings.concurrency));
    if (settings.loadList) {
      // Rally: a skip list is taken out of the load list; the skipped tests are still reported
      const ids = settings.loadList.filter((id) => listedReason(settings.skipList, id) === undefined);
      const file = join(workspace, 'load-list.txt');
      await runner.writeFile(file, `${ids.join('\n')}\n`);
      argv.push('--load-list', file);
    } else if (settings.skipList && Object.keys(settings.skipList).length > 0) {
      const file = join(workspace, 'exclude-list.txt');
      await runner.writeFile(file, `${Object.keys(settings.skipList).map(exactTestRegex).join('\n')}\n`);
      argv.push('--exclude-list', file);
    }

    step(`running: ${argv.join(' ')}`);
    const collector = new VerificationCollector({
      ...(settings.xfailList ? { xfail: settings.xfailList } : {}),
      ...(settings.skipList ? { skip: settings.skipList } : {}),
    });
    const running = runner.start(argv, { cwd: tempestDir });
    const onAbort = (): void => running.kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const stderrTail = collectTail(running.stderr);
    // the raw stream goes to subunit.bin as it is parsed
    const raw = createWriteStream(join(options.outDir, 'subunit.bin'));
    const tee = new PassThrough();
    running.stdout.on('data', (chunk: Buffer) => raw.write(chunk));
    running.stdout.pipe(tee);
    let done = 0;
    let failed = 0;
    let parseError: SubunitParseError | undefined;
    try {
      for await (const event of parseSubunit(tee, { source: 'tempest run --subunit' })) {
        const progress = collector.add(event);
        if (!progress) continue;
        if (progress.kind === 'finished') {
          done++;
          if (progress.test.status === 'fail' || progress.test.status === 'uxsuccess') failed++;
        }
        options.progress?.({ kind: 'test', event: progress, done, failed });
      }
    } catch (err) {
      if (!(err instanceof SubunitParseError)) throw err;
      parseError = err;
      running.kill();
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    const exit = await running.exit;
    await new Promise<void>((resolve) => raw.end(resolve));
    const stderr = redactSecrets(await stderrTail, secrets).trim();
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('verification interrupted');
    // a lost connection also cuts the stream mid-packet: say what really happened
    if (exit.lost) throw new InfraError(`tempest run (${runner.describe()}): ${redactSecrets(exit.lost.message, secrets)}`, { cause: exit.lost });
    if (parseError) throw new InfraError(`tempest's output could not be read: ${parseError.message}`, { cause: parseError });
    const collected = collector.finish();
    if (exit.spawnError) throw new InfraError(`tempest run could not be started: ${exit.spawnError.message}`);
    if (collected.tests.length === 0 && collected.classLevel.length === 0) {
      const why = errorLines(redactSecrets(collected.output, secrets)) || stderr.split('\n').slice(-15).join('\n');
      throw new InfraError(`tempest ran no test (exit ${exit.code ?? exit.signal}); its output says:\n${why || '(nothing)'}`);
    }
    const passed = verificationPassed(collected.totals);
    return {
      format: 'rally-gate-verification/1',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      selection: selectionSummary(settings),
      tempest: { version, command: argv },
      cloud: describeCredential(credential),
      totals: collected.totals,
      tests: collected.tests,
      classLevel: collected.classLevel,
      passed,
    };
  } finally {
    if (resources) {
      step('deleting the resources made for tempest');
      const failures = await resources.cleanup();
      for (const failure of failures) step(`warning: ${redactSecrets(failure, secrets)}`);
    }
    await cloud.close();
    if (!options.keepWorkspace) {
      // a warning, as for the resources: the error that ended the run (a lost connection) must stay the one reported
      await runner.removeDir(workspace).catch((err: unknown) => step(`warning: the tempest workspace ${workspace} (${runner.describe()}) could not be removed: ${redactSecrets((err as Error).message, secrets)}`));
    }
  }
}
