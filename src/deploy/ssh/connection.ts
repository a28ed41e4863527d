/**
 * One SSH connection to a node (over ssh2, no ssh binary, no agent): connect with a private key or a
 * password, optionally through a jump host, with the host key checked by policy (host-key.ts); run
 * commands with streamed stdout/stderr, their exit code and a time limit; upload and download
 * files over SFTP. Every failure is an SshError that says which node, which step and why (refused,
 * timed out, wrong key, unknown host key, connection lost), never a secret.
 */
import type { Client as SshClient, ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import { loadSsh2 } from './ssh2-module.js';
import type { Duplex } from 'node:stream';
import { InfraError } from '../../common/errors.js';
import { type HostKeyPolicy, keyTypeOfBlob, verifyHostKey } from './host-key.js';

export type SshAuth =
  | { kind: 'key'; privateKey: string; passphrase?: string }
  | { kind: 'password'; password: string };

export interface SshTarget {
  /** the node's name in messages ("controller", "compute1") */
  label: string;
  host: string;
  port: number;
  user: string;
  auth: SshAuth;
  hostKey: HostKeyPolicy;
  /** reach `host:port` through this host (OpenSSH's ProxyJump) */
  jump?: SshTarget;
  /** TCP connect + handshake + auth limit (default 20 s) */
  connectTimeoutMs?: number;
}

export type SshFailureKind = 'unreachable' | 'timeout' | 'host-key' | 'auth' | 'connection-lost' | 'time-limit' | 'protocol';

/** An SSH fault: exit code 3, naming the node, the step and the kind of failure. */
export class SshError extends InfraError {
  constructor(
    readonly node: string,
    readonly step: string,
    readonly kind: SshFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`node ${node}, step "${step}": ${message}`, options);
    this.name = 'SshError';
  }
}

export interface ExecOptions {
  /** step name for errors ("preflight", "stack.sh") */
  step: string;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** written to the command's stdin, which is then closed */
  stdin?: string;
  /** the channel is closed after this long and the call fails with kind "time-limit" */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** keep only the last this many characters of each stream in the result (long logs stream elsewhere) */
  keepLast?: number;
}

export interface ExecResult {
  exitCode: number | null;
  /** set when the remote process died of a signal */
  exitSignal?: string;
  stdout: string;
  stderr: string;
}

function describeEndpoint(target: SshTarget): string {
  return `${target.user}@${target.host}:${target.port}${target.jump ? ` via ${target.jump.host}:${target.jump.port}` : ''}`;
}

function connectFailure(target: SshTarget, err: Error & { level?: string; code?: string }, hostKeyRefusal: string | undefined): SshError {
  const where = describeEndpoint(target);
  if (hostKeyRefusal !== undefined) return new SshError(target.label, 'connect', 'host-key', `${where}: ${hostKeyRefusal}`, { cause: err });
  if (err.level === 'client-authentication') {
    const how = target.auth.kind === 'key' ? 'the private key' : 'the password';
    return new SshError(target.label, 'connect', 'auth', `${where}: authentication failed: the server refused ${how} for user ${target.user}`, { cause: err });
  }
  if (err.level === 'client-timeout') {
    return new SshError(target.label, 'connect', 'timeout', `${where}: no SSH handshake within ${(target.connectTimeoutMs ?? 20_000) / 1000} s`, { cause: err });
  }
  const code = err.code;
  if (code === 'ECONNREFUSED') return new SshError(target.label, 'connect', 'unreachable', `${where}: connection refused (nothing listening on port ${target.port})`, { cause: err });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SshError(target.label, 'connect', 'unreachable', `${where}: unreachable (${code})`, { cause: err });
  }
  return new SshError(target.label, 'connect', 'protocol', `${where}: ${err.message}`, { cause: err });
}

export class SshConnection {
  private closed = false;
  private lostReason: string | undefined;
  /** called when the connection ends, so running commands fail at once */
  private readonly onLost = new Set<(reason: string) => void>();

  private constructor(
    readonly target: SshTarget,
    private readonly client: SshClient,
    private readonly jump: SshConnection | undefined,
    /** the fingerprint the server presented, for the command log */
    readonly hostKeyFingerprint: string,
    readonly hostKeyNote: string,
  ) {
    const lost = (why: string) => {
      if (this.lostReason !== undefined) return;
      this.lostReason = why;
      for (const listener of this.onLost) listener(why);
    };
    client.on('close', () => lost(this.closed ? 'closed' : 'the SSH connection was closed by the remote side'));
    client.on('error', (err) => lost(`the SSH connection failed: ${err.message}`));
  }

  static async connect(target: SshTarget, signal?: AbortSignal): Promise<SshConnection> {
    const jump = target.jump ? await SshConnection.connect(target.jump, signal) : undefined;
    try {
      const sock = jump ? await jump.forwardTo(target) : undefined;
      return await SshConnection.handshake(await loadSsh2(), target, jump, sock, signal);
    } catch (err) {
      jump?.close();
      throw err;
    }
  }

  private forwardTo(target: SshTarget): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
        if (err) {
          reject(new SshError(target.label, 'connect', 'unreachable', `jump host ${describeEndpoint(this.target)} could not open ${target.host}:${target.port}: ${err.message}`, { cause: err }));
        } else {
          resolve(stream);
        }
      });
    });
  }

  private static handshake(ssh2: Awaited<ReturnType<typeof loadSsh2>>, target: SshTarget, jump: SshConnection | undefined, sock: Duplex | undefined, signal?: AbortSignal): Promise<SshConnection> {
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let hostKeyRefusal: string | undefined;
      let fingerprint = '';
      let note = '';
      let settled = false;
      const finish = (err: SshError | undefined) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err) {
          client.end();
          reject(err);
        } else {
          resolve(new SshConnection(target, client, jump, fingerprint, note));
        }
      };
      const onAbort = () => finish(new SshError(target.label, 'connect', 'protocol', 'interrupted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const config: ConnectConfig = {
        host: target.host,
        port: target.port,
        username: target.user,
        readyTimeout: target.connectTimeoutMs ?? 20_000,
        // a dropped connection shows within ~15 s even when the node goes silent
        keepaliveInterval: 5_000,
        keepaliveCountMax: 3,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(target.hostKey, target.host, target.port, key, keyTypeOfBlob(key));
          fingerprint = verdict.fingerprint;
          note = verdict.reason;
          if (!verdict.accepted) hostKeyRefusal = verdict.reason;
          return verdict.accepted;
        },
        ...(sock ? { sock } : {}),
        ...(target.auth.kind === 'key'
          ? { privateKey: target.auth.privateKey, ...(target.auth.passphrase !== undefined ? { passphrase: target.auth.passphrase } : {}) }
          : { password: target.auth.password }),
      };
      client.on('ready', () => finish(undefined));
      client.on('error', (err) => finish(connectFailure(target, err as Error & { level?: string; code?: string }, hostKeyRefusal)));
      client.on('close', () => finish(new SshError(target.label, 'connect', hostKeyRefusal ? 'host-key' : 'protocol', hostKeyRefusal ?? `${describeEndpoint(target)}: the connection closed during the handshake`)));
      try {
        client.connect(config);
      } catch (err) {
        // ssh2 throws synchronously on an unreadable private key
        finish(new SshError(target.label, 'connect', 'auth', `cannot use the private key: ${(err as Error).message}`, { cause: err }));
      }
    });
  }

  /** Runs one command (a shell command line). A non-zero exit is a result, not an error. */
  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    const node = this.target.label;
    return new Promise((resolve, reject) => {
      if (this.lostReason !== undefined) {
        reject(new SshError(node, options.step, 'connection-lost', this.lostReason));
        return;
      }
      let stdout = '';
      let stderr = '';
      let channel: ClientChannel | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      const cleanup = () => {
        settled = true;
        if (timer) clearTimeout(timer);
        this.onLost.delete(onLost);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (err: SshError) => {
        if (settled) return;
        cleanup();
        channel?.close();
        reject(err);
      };
      const onLost = (reason: string) => fail(new SshError(node, options.step, 'connection-lost', `${reason} while the command was running`));
      const onAbort = () => fail(new SshError(node, options.step, 'protocol', 'interrupted'));
      this.onLost.add(onLost);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => fail(new SshError(node, options.step, 'time-limit', `did not finish within its time limit of ${Math.round(options.timeoutMs! / 1000)} s`)), options.timeoutMs);
      }
      this.client.exec(command, (err, stream) => {
        if (err) {
          fail(new SshError(node, options.step, 'protocol', `cannot start the command: ${err.message}`, { cause: err }));
          return;
        }
        channel = stream;
        if (settled) {
          stream.close();
          return;
        }
        stream.setEncoding('utf8');
        stream.stderr.setEncoding('utf8');
        const keep = (text: string) => (options.keepLast !== undefined && text.length > 2 * options.keepLast ? text.slice(-options.keepLast) : text);
        stream.on('data', (chunk: string) => {
          stdout = keep(stdout + chunk);
          options.onStdout?.(chunk);
        });
        stream.stderr.on('data', (chunk: string) => {
          stderr = keep(stderr + chunk);
          options.onStderr?.(chunk);
        });
        stream.on('exit', (code: number | null, signalName?: string) => {
          exitCode = code;
          if (signalName) exitSignal = signalName;
        });
        stream.on('close', () => {
          if (settled) return;
          // a channel that closes without an exit status died with its connection
          if (exitCode === null && exitSignal === undefined) {
            setImmediate(() => fail(new SshError(node, options.step, 'connection-lost', `${this.lostReason ?? 'the SSH channel closed'} before the command finished`)));
            return;
          }
          cleanup();
          resolve({ exitCode, ...(exitSignal ? { exitSignal } : {}), stdout, stderr });
        });
        if (options.stdin !== undefined) stream.end(options.stdin);
        else stream.end();
      });
    });
  }

  /**
   * Starts a command and hands back its raw channel (stdout as Buffers, `.stderr`) for callers that
   * stream binary output, with `closed`: its exit status once the channel closed, or `lost` when
   * none came (the connection died). The status is recorded from the start: a short command's
   * "exit" event can come in the same packet as the reply to the exec request.
   */
  openExecChannel(command: string, step: string): Promise<{ channel: ClientChannel; closed: Promise<{ exitCode: number | null; exitSignal?: string; lost?: string }> }> {
    const node = this.target.label;
    return new Promise((resolve, reject) => {
      if (this.lostReason !== undefined) {
        reject(new SshError(node, step, 'connection-lost', this.lostReason));
        return;
      }
      this.client.exec(command, (err, channel) => {
        if (err) {
          reject(new SshError(node, step, 'protocol', `cannot start the command: ${err.message}`, { cause: err }));
          return;
        }
        let exitCode: number | null = null;
        let exitSignal: string | undefined;
        channel.on('exit', (code: number | null, signalName?: string) => {
          exitCode = code;
          if (signalName) exitSignal = signalName;
        });
        const closed = new Promise<{ exitCode: number | null; exitSignal?: string; lost?: string }>((done) => {
          channel.on('close', () => {
            if (exitCode === null && exitSignal === undefined) done({ exitCode: null, lost: this.lostReason ?? 'the SSH channel closed' });
            else done({ exitCode, ...(exitSignal ? { exitSignal } : {}) });
          });
        });
        resolve({ channel, closed });
      });
    });
  }

  private sftp(step: string): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => (err ? reject(new SshError(this.target.label, step, 'protocol', `SFTP unavailable: ${err.message}`, { cause: err })) : resolve(sftp)));
    });
  }

  /** Writes `content` to `remotePath` over SFTP (as the login user) with `mode`. */
  async upload(content: string | Buffer, remotePath: string, mode: number, step: string): Promise<void> {
    const sftp = await this.sftp(step);
    try {
      await new Promise<void>((resolve, reject) => {
        sftp.writeFile(remotePath, content, { mode }, (err) =>
          err ? reject(new SshError(this.target.label, step, 'protocol', `cannot write ${remotePath}: ${err.message}`, { cause: err })) : resolve(),
        );
      });
    } finally {
      sftp.end();
    }
  }

  /** Reads `remotePath` over SFTP (as the login user); undefined when it does not exist or is not readable. */
  async download(remotePath: string, step: string): Promise<Buffer | undefined> {
    const sftp = await this.sftp(step);
    try {
      return await new Promise<Buffer | undefined>((resolve) => {
        sftp.readFile(remotePath, (err, data) => resolve(err ? undefined : data));
      });
    } finally {
      sftp.end();
    }
  }

  get lost(): string | undefined {
    return this.lostReason;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
    this.jump?.close();
  }
}

/** Single-quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
