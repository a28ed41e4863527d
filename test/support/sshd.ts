/**
 * Real OpenSSH servers (Debian's /usr/sbin/sshd) for the deploy tests: one per loopback address
 * (127.0.0.2, 127.0.0.3, ...), each with its own host key, config, pid file and a free port, run in
 * the foreground (-D -e) under the test's control. The login user (default `rgnode`) is created
 * if missing and gets passwordless sudo, as Zuul's nodes give it; its client key pair and password
 * are made at test time. Needs root (sshd must start as root to switch users).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSHD_BINARY = '/usr/sbin/sshd';

/** Why the SSH tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the SSH deploy tests start sshd and create users: they need root';
  if (!existsSync(SSHD_BINARY)) return `${SSHD_BINARY} is not installed (apt-get install openssh-server)`;
  return undefined;
}

export interface TestUser {
  name: string;
  password: string;
  /** OpenSSH private key text and its public line */
  privateKey: string;
  privateKeyFile: string;
  publicKey: string;
}

export interface TestSshd {
  address: string;
  port: number;
  /** SHA256:... of its host key */
  fingerprint: string;
  /** a known_hosts file listing exactly this server */
  knownHostsFile: string;
  /** what sshd printed (-e), for failing tests */
  output(): string;
  /** kills the per-connection sshd processes (drops every open session), the listener stays */
  dropSessions(): void;
  stop(): Promise<void>;
}

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Creates (once) the login user with passwordless sudo, a fresh password and a fresh key pair in `dir`. */
export function ensureTestUser(dir: string, name = 'rgnode'): TestUser {
  try {
    run('getent', ['passwd', name]);
  } catch {
    run('useradd', ['-m', '-s', '/bin/bash', name]);
  }
  writeFileSync(`/etc/sudoers.d/90-${name}-test`, `${name} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  run('chpasswd', [], `${name}:${password}\n`);
  const privateKeyFile = join(dir, `${name}_ed25519`);
  rmSync(privateKeyFile, { force: true });
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@rally-gate-test`, '-f', privateKeyFile]);
  return { name, password, privateKeyFile, privateKey: readFileSync(privateKeyFile, 'utf8'), publicKey: readFileSync(`${privateKeyFile}.pub`, 'utf8').trim() };
}

async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitForListening(address: string, port: number, child: ChildProcess, output: () => string): Promise<void> {
  const { connect } = await import('node:net');
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`sshd on ${address}:${port} exited: ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, address);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd on ${address}:${port} did not start listening: ${output()}`);
}

function childrenOf(pid: number): number[] {
  try {
    return run('pgrep', ['-P', String(pid)]).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The sshd processes under the listener (not the commands they run). */
function sshdDescendants(pid: number): number[] {
  const out: number[] = [];
  for (const childPid of childrenOf(pid)) {
    let name = '';
    try {
      name = readFileSync(`/proc/${childPid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (!name.startsWith('sshd')) continue;
    out.push(childPid, ...sshdDescendants(childPid));
  }
  return out;
}

/** Starts sshd on `address` letting in `user` (key and password). */
export async function startSshd(address: string, user: TestUser): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), `rgdeploy-sshd-${address}-`));
  // sshd reads authorized_keys as the user
  chmodSync(dir, 0o755);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `test-sshd-${address}`, '-f', hostKey]);
  mkdirSync(join(dir, 'authorized_keys'), { mode: 0o755 });
  writeFileSync(join(dir, 'authorized_keys', user.name), `${user.publicKey}\n`, { mode: 0o644 });
  const port = await freePort(address);
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress ${address}`,
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}/%u`,
      // the temp dir sits under the world-writable /tmp
      'StrictModes no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin no',
      `AllowUsers ${user.name}`,
      'Subsystem sftp /usr/lib/openssh/sftp-server',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD_BINARY, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  await waitForListening(address, port, child, () => output);
  const fingerprint = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]).split(' ')[1] as string;
  const knownHostsFile = join(dir, 'known_hosts');
  const hostPublic = readFileSync(`${hostKey}.pub`, 'utf8').split(' ');
  writeFileSync(knownHostsFile, `[${address}]:${port} ${hostPublic[0]} ${hostPublic[1]}\n`);
  return {
    address,
    port,
    fingerprint,
    knownHostsFile,
    output: () => output,
    dropSessions() {
      // each session is a privileged monitor and the user's unprivileged sshd under it: both hold the socket
      for (const pid of sshdDescendants(child.pid as number)) process.kill(pid, 'SIGKILL');
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
