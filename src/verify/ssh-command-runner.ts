/**
 * Tempest on another machine (the DevStack controller) over SSH: the CommandRunner that run.ts
 * drives, over one SshConnection (src/deploy/ssh). stdout stays binary (the subunit v2 stream),
 * files the verifier writes (tempest.conf, list files) go through stdin into a private temp dir,
 * and a command is stopped by signalling its process group from a second channel: OpenSSH ignores
 * SSH "signal" requests, and closing the channel leaves stestr's workers running.
 *
 * How the process group is found: OpenSSH starts every session's command as a session (and
 * process group) leader, so the command line records its shell's `$$` in a pid file and then
 * `exec`s the command; `kill -TERM -PGID` then reaches tempest and every worker it started,
 * and SIGKILL follows after a grace period.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { PassThrough } from 'node:stream';
import { SshConnection, SshError, shellQuote, type SshTarget } from '../deploy/ssh/connection.js';
import type { CommandExit, CommandRunner, RunningCommand } from './command-runner.js';

export interface SshCommandRunnerOptions {
  /** close the connection in close() (set by open()) */
  ownsConnection?: boolean;
  /** how long a stopped command gets between SIGTERM and SIGKILL (default 10 s) */
  killGraceSeconds?: number;
}

/** The shell command line that runs `argv` in `cwd` with `env`, recording its process group in `pidFile`. */
export function remoteCommandLine(argv: readonly string[], options: { pidFile: string; cwd?: string; env?: Record<string, string> }): string {
  if (argv.length === 0) throw new Error('remoteCommandLine: empty command');
  for (const name of Object.keys(options.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`remoteCommandLine: bad environment variable name "${name}"`);
  }
  const env = Object.entries(options.env ?? {}).map(([name, value]) => shellQuote(`${name}=${value}`));
  const parts = [
    `echo $$ > ${shellQuote(options.pidFile)}`,
    ...(options.cwd !== undefined ? [`cd ${shellQuote(options.cwd)}`] : []),
    // stdin from /dev/null as LocalCommandRunner's 'ignore': nothing may wait for input
    `exec ${env.length > 0 ? `env ${env.join(' ')} ` : ''}${argv.map(shellQuote).join(' ')} < /dev/null`,
  ];
  return parts.join(' && ');
}

/**
 * A POSIX sh script that stops the process group recorded in `pidFile`: waits up to 5 s for the
 * file (the command may be starting), SIGTERM to the group, SIGKILL after `graceSeconds`.
 */
export function remoteKillScript(pidFile: string, graceSeconds: number): string {
  const file = shellQuote(pidFile);
  const ticks = Math.max(1, Math.round(graceSeconds * 10));
  return [
    'i=0',
    `while [ ! -s ${file} ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`,
    `[ -s ${file} ] || exit 0`,
    `pg=$(cat ${file})`,
    // the group; the pid alone if the shell was not a group leader after all
    // "kill -SIG -PGID", not "--": dash's kill takes no "--"
    'kill -TERM "-$pg" 2>/dev/null || kill -TERM "$pg" 2>/dev/null || exit 0',
    'i=0',
    `while kill -0 "-$pg" 2>/dev/null || kill -0 "$pg" 2>/dev/null; do`,
    `  if [ $i -ge ${ticks} ]; then kill -KILL "-$pg" 2>/dev/null || kill -KILL "$pg" 2>/dev/null; exit 0; fi`,
    '  sleep 0.1; i=$((i+1))',
    'done',
  ].join('\n');
}

/** ssh2 reports "TERM"; Node's (and LocalCommandRunner's) convention is "SIGTERM". */
export function signalName(sshSignal: string): string {
  return sshSignal.startsWith('SIG') ? sshSignal : `SIG${sshSignal}`;
}

const SAFE_PREFIX = /^[A-Za-z0-9_.-]+$/;

export class SshCommandRunner implements CommandRunner {
  private readonly tempDirs = new Set<string>();
  /** where pid files go: made on the first start(), removed by close() */
  private controlDir: Promise<string> | undefined;
  /** stop requests in flight, awaited by close() */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly killGraceSeconds: number;

  constructor(
    readonly connection: SshConnection,
    private readonly options: SshCommandRunnerOptions = {},
  ) {
    this.killGraceSeconds = options.killGraceSeconds ?? 10;
  }

  /** Connects to `target` (key or password, jump host, host key policy as in the deployment file). */
  static async open(target: SshTarget, options: Omit<SshCommandRunnerOptions, 'ownsConnection'> & { signal?: AbortSignal } = {}): Promise<SshCommandRunner> {
    const { signal, ...rest } = options;
    return new SshCommandRunner(await SshConnection.connect(target, signal), { ...rest, ownsConnection: true });
  }

  describe(): string {
    const t = this.connection.target;
    return `ssh ${t.user}@${t.host}:${t.port} (${t.label})`;
  }

  private get node(): string {
    return this.connection.target.label;
  }

  private control(): Promise<string> {
    this.controlDir ??= this.mktemp('rally-gate-ssh-');
    return this.controlDir;
  }

  private async mktemp(prefix: string): Promise<string> {
    if (!SAFE_PREFIX.test(prefix)) throw new Error(`SshCommandRunner: temp dir prefix "${prefix}": letters, digits, "_", "-", "." only`);
    const made = await this.connection.exec(`mktemp -d "\${TMPDIR:-/tmp}/${prefix}XXXXXXXX"`, { step: 'make a temp dir', timeoutMs: 60_000 });
    const path = made.stdout.trim();
    if (made.exitCode !== 0 || !path.startsWith('/')) {
      throw new SshError(this.node, 'make a temp dir', 'protocol', `mktemp failed (exit ${made.exitCode}): ${made.stderr.trim() || made.stdout.trim()}`);
    }
    return path;
  }

  start(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunningCommand {
    if (argv.length === 0) throw new Error('SshCommandRunner.start: empty command');
    const step = posix.basename(argv[0] as string);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const endOutputs = (): void => {
      if (!stdout.writableEnded) stdout.end();
      if (!stderr.writableEnded) stderr.end();
    };
    let ended = false;
    // the pid file once the command's channel is open; undefined when it never started
    let markStarted: (pidFile: string | undefined) => void = () => undefined;
    const started = new Promise<string | undefined>((resolve) => (markStarted = resolve));

    const exit = (async (): Promise<CommandExit & { spawnError?: Error }> => {
      let exec;
      let pidFile: string;
      try {
        pidFile = posix.join(await this.control(), `${randomBytes(6).toString('hex')}.pid`);
        exec = await this.connection.openExecChannel(remoteCommandLine(argv, { ...options, pidFile }), step);
      } catch (err) {
        markStarted(undefined);
        endOutputs();
        return { code: 127, signal: null, spawnError: err as Error };
      }
      markStarted(pidFile);
      const { channel, closed } = exec;
      // the pipes end stdout and stderr when the channel's streams end (also when the connection dies)
      channel.pipe(stdout);
      channel.stderr.pipe(stderr);
      // EOF on the command's stdin (it reads /dev/null anyway)
      channel.end();
      const end = await closed;
      if (end.lost !== undefined) {
        // a lost connection may still close the channel after the connection's own close event: prefer its reason
        const why = this.connection.lost ?? end.lost;
        return { code: null, signal: null, lost: new SshError(this.node, step, 'connection-lost', `${why} before the command finished`) };
      }
      return { code: end.exitCode, signal: end.exitSignal !== undefined ? signalName(end.exitSignal) : null };
    })().finally(() => {
      ended = true;
    });

    return {
      stdout,
      stderr,
      exit,
      kill: () => {
        if (ended) return;
        this.track(
          started.then(async (pidFile) => {
            if (pidFile === undefined || ended || this.connection.lost !== undefined) return;
            await this.connection.exec(remoteKillScript(pidFile, this.killGraceSeconds), { step: `stop ${step}`, timeoutMs: (this.killGraceSeconds + 30) * 1000 });
          }),
        );
      },
    };
  }

  private track(work: Promise<unknown>): void {
    // a failed stop shows as a command that goes on running; close() must not throw for it
    const settled = work.catch(() => undefined);
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }

  async makeTempDir(prefix: string): Promise<string> {
    const path = await this.mktemp(prefix);
    this.tempDirs.add(path);
    return path;
  }

  /** Through the command's stdin (secrets never on a command line), made 0600 first and renamed into place. */
  async writeFile(path: string, content: string, mode = 0o644): Promise<void> {
    const file = shellQuote(path);
    const partial = shellQuote(`${path}.rally-gate-partial`);
    const script = `umask 077 && cat > ${partial} && chmod ${mode.toString(8).padStart(4, '0')} ${partial} && mv -f ${partial} ${file}`;
    const result = await this.connection.exec(script, { step: `write ${path}`, stdin: content, timeoutMs: 120_000 });
    if (result.exitCode !== 0) {
      throw new SshError(this.node, `write ${path}`, 'protocol', `exit ${result.exitCode}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    }
  }

  /** Removes a directory this runner made (anything else is refused: this deletes on someone's machine). */
  async removeDir(path: string): Promise<void> {
    const normalized = posix.normalize(path);
    const ours = [...this.tempDirs].some((dir) => normalized === dir || normalized.startsWith(`${dir}/`));
    if (!ours) throw new Error(`SshCommandRunner.removeDir: ${path} was not made by this runner; not removing it`);
    const result = await this.connection.exec(`rm -rf -- ${shellQuote(normalized)}`, { step: `remove ${path}`, timeoutMs: 120_000 });
    if (result.exitCode !== 0) throw new SshError(this.node, `remove ${path}`, 'protocol', `exit ${result.exitCode}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    if (this.tempDirs.has(normalized)) this.tempDirs.delete(normalized);
  }

  /** Waits for stop requests, removes the pid files' dir, and closes the connection when this runner opened it. */
  async close(): Promise<void> {
    await Promise.all(this.pending);
    try {
      const control = this.controlDir ? await this.controlDir.catch(() => undefined) : undefined;
      if (control !== undefined && this.connection.lost === undefined) {
        await this.connection.exec(`rm -rf -- ${shellQuote(control)}`, { step: 'remove pid files', timeoutMs: 30_000 }).catch(() => undefined);
      }
    } finally {
      if (this.options.ownsConnection) this.connection.close();
    }
  }
}
