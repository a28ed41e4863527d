/**
 * Where tempest runs. The verification only needs to start commands, stream their output and
 * keep a few files in a scratch directory, so a runner on the controller over SSH can implement
 * the same interface later; LocalCommandRunner runs them on this machine.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface CommandExit {
  code: number | null;
  signal: string | null;
  /** set when the command's end could not be seen: the connection to the node running it was lost */
  lost?: Error;
}

export interface RunningCommand {
  stdout: Readable;
  stderr: Readable;
  /** resolves when the command ended (never rejects: a command that could not start ends with code 127) */
  exit: Promise<CommandExit & { spawnError?: Error }>;
  /** stops the command and everything it started (stestr's workers) */
  kill(): void;
}

export interface CommandRunner {
  /** "local", "ssh root@controller": for messages */
  describe(): string;
  start(argv: readonly string[], options?: { cwd?: string; env?: Record<string, string> }): RunningCommand;
  makeTempDir(prefix: string): Promise<string>;
  /** writes a file; `mode` 0o600 for files holding secrets */
  writeFile(path: string, content: string, mode?: number): Promise<void>;
  removeDir(path: string): Promise<void>;
}

export class LocalCommandRunner implements CommandRunner {
  describe(): string {
    return 'local';
  }

  start(argv: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunningCommand {
    const [command, ...args] = argv;
    if (command === undefined) throw new Error('LocalCommandRunner.start: empty command');
    // its own process group, so kill() reaches stestr's worker processes too
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const exit = new Promise<CommandExit & { spawnError?: Error }>((resolve) => {
      child.once('error', (err) => resolve({ code: 127, signal: null, spawnError: err }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      exit,
      kill: () => {
        if (child.pid === undefined || child.exitCode !== null) return;
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
      },
    };
  }

  makeTempDir(prefix: string): Promise<string> {
    return mkdtemp(join(tmpdir(), prefix));
  }

  async writeFile(path: string, content: string, mode = 0o644): Promise<void> {
    await writeFile(path, content, { mode });
    await chmod(path, mode);
  }

  removeDir(path: string): Promise<void> {
    return rm(path, { recursive: true, force: true });
  }
}

/** Runs a short command to its end and returns its output (the last 64 KiB of each stream). */
export async function runToEnd(
  runner: CommandRunner,
  argv: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandExit & { stdout: string; stderr: string; spawnError?: Error }> {
  const running = runner.start(argv, options);
  const stdout = collectTail(running.stdout);
  const stderr = collectTail(running.stderr);
  const exit = await running.exit;
  return { ...exit, stdout: await stdout, stderr: await stderr };
}

/** The last `limit` characters a stream produced. */
export async function collectTail(stream: Readable, limit = 64 * 1024): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    text += chunk as string;
    if (text.length > 2 * limit) text = text.slice(-limit);
  }
  return text.slice(-limit);
}
