/**
 * Runs hook commands from a helper thread. Starting a process (fork/exec in child_process.spawn)
 * blocks the calling thread for 1-4 ms; done on the main thread, that would stall every iteration
 * in flight and show up in their durations. The helper thread spawns and collects the output, the
 * main thread only exchanges messages with it. Started once per process, when a workload with a
 * sys_call hook is prepared.
 */
import { Worker } from 'node:worker_threads';

export interface CommandOutcome {
  /** exit code, or minus the signal number (Python's convention) */
  returncode: number;
  stdout: string;
  stderr: string;
}

/** Why the command could not start (errno code of spawn, e.g. ENOENT). */
export class SpawnFailure extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SpawnFailure';
  }
}

// Plain JS evaluated in the worker.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
parentPort.on('message', ({ id, argv, cwd }) => {
  let child;
  try {
    child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  } catch (error) {
    parentPort.postMessage({ id, failure: { code: error.code, message: error.message } });
    return;
  }
  const out = [];
  const err = [];
  let failed = false;
  child.stdout.on('data', (chunk) => out.push(chunk));
  child.stderr.on('data', (chunk) => err.push(chunk));
  child.on('error', (error) => {
    failed = true;
    parentPort.postMessage({ id, failure: { code: error.code, message: error.message } });
  });
  child.on('close', (code, signal) => {
    if (failed) return;
    const returncode = code ?? -(signal ? (constants.signals[signal] ?? 1) : 1);
    parentPort.postMessage({ id, returncode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
  });
});
`;

interface Reply {
  id: number;
  failure?: { code?: string; message: string };
  returncode?: number;
  stdout?: string;
  stderr?: string;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (outcome: CommandOutcome) => void; reject: (error: Error) => void }>();

function commandWorker(): Worker {
  if (worker) return worker;
  const created = new Worker(workerSource, { eval: true });
  created.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) created.unref();
    if (reply.failure) waiter.reject(new SpawnFailure(reply.failure.code, reply.failure.message));
    else waiter.resolve({ returncode: reply.returncode!, stdout: reply.stdout!, stderr: reply.stderr! });
  });
  created.on('error', (error) => {
    worker = undefined;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  created.unref();
  worker = created;
  return created;
}

/** Boots the helper thread ahead of the first command (it takes tens of ms, better before the load). */
export function startCommandThread(): void {
  commandWorker();
}

/** Runs argv (no shell) in `cwd` from the helper thread; rejects with SpawnFailure if it cannot start. */
export function runCommandInThread(argv: string[], cwd: string): Promise<CommandOutcome> {
  const thread = commandWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.ref(); // a running hook keeps the process alive
    thread.postMessage({ id, argv, cwd });
  });
}
