/**
 * Deploys DevStack onto the nodes of a DeploymentPlan over SSH, in the order of Zuul's devstack jobs
 * (playbooks/pre.yaml, then roles/orchestrate-devstack):
 *
 *   every node, in parallel: preflight (SSH, sudo -n, OS, git, free disk), the stack user with
 *     passwordless sudo, the DevStack checkout, local.conf
 *   controller: stack.sh
 *   multinode only: one SSH key for the stack user distributed to every node; stack.sh on the
 *     subnodes in parallel; tools/discover_hosts.sh on the controller
 *   controller: the `devstack-admin` cloud of clouds.yaml -> CloudCredential for the next stages
 *
 * Logs go to <out>/deploy/<node>/ as they come (commands.log, stack.sh.log, local.conf masked) and
 * DevStack's own (devstacklog.txt, .stackenv) are fetched at the end, also after a failure. Any fault
 * is a DeployError (exit 3) naming the node and the step.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { InfraError, InputError } from '../../common/errors.js';
import { loadCloudsYaml } from '../../cloud/clouds-yaml.js';
import { type CloudCredential, redactSecrets } from '../../cloud/credential.js';
import { type ExecResult, SshConnection, SshError, shellQuote } from '../ssh/connection.js';
import { type DeployNode, type DeploymentPlan } from './plan.js';
import { loadSsh2 } from '../ssh/ssh2-module.js';
import { maskLocalConf, renderLocalConf } from './local-conf.js';
import { NodeLog } from './node-log.js';

export interface DeployProgress {
  /** a node starts a step ("preflight", "stack.sh", ...) */
  step(node: string, step: string): void;
  /** one line of stack.sh's output (secrets masked) */
  line(node: string, line: string): void;
}

export interface DeployOptions {
  /** logs go to <outDir>/deploy/<node>/ */
  outDir: string;
  progress?: DeployProgress;
  signal?: AbortSignal;
}

export interface DeployedNode {
  name: string;
  role: 'controller' | 'subnode';
  host: string;
  /** PRETTY_NAME of /etc/os-release */
  os: string;
  hostKeyFingerprint: string;
  /** what stack.sh reported ("stack.sh completed in N seconds."), else our own measure */
  stackSeconds?: number;
  logDir: string;
}

export interface DeployResult {
  /** the controller's devstack-admin cloud */
  credential: CloudCredential;
  nodes: DeployedNode[];
  /** <outDir>/deploy */
  logsDir: string;
}

/** A deployment fault: exit 3, with the node, the step and where the logs are. */
export class DeployError extends InfraError {
  constructor(
    readonly node: string,
    readonly step: string,
    readonly detail: string,
    readonly logsDir: string,
    options?: { cause?: unknown },
  ) {
    super(`deploy failed on node ${node}, step "${step}": ${detail}\n  logs so far: ${logsDir}`, options);
    this.name = 'DeployError';
  }
}

/** Lines of stack.sh output shown in the error when it fails. */
const TAIL_LINES = 25;
const STACK_COMPLETED = /stack\.sh completed in (\d+) seconds\./;
const DEFAULT_CLOUDS_YAML = '/etc/openstack/clouds.yaml';

function literalLocalrc(node: DeployNode, key: string): string | undefined {
  const value = node.vars.devstack_localrc?.[key];
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  // a value that refers to shell variables cannot be resolved here
  return text.includes('$') ? undefined : text;
}

/** DevStack's DEST: the parent of the checkout (/opt/stack for /opt/stack/devstack). */
function devstackBase(node: DeployNode): string {
  return dirname(node.dest);
}

/** One node during a deployment: its connection, its log, and how commands run there. */
class NodeSession {
  connection: SshConnection | undefined;
  os = 'unknown';
  stackSeconds: number | undefined;
  readonly log: NodeLog;

  constructor(
    readonly node: DeployNode,
    readonly plan: DeploymentPlan,
    private readonly options: DeployOptions,
    secrets: readonly string[],
  ) {
    this.log = new NodeLog(options.outDir, node.name, secrets);
  }

  get logsDir(): string {
    return this.log.dir;
  }

  beginStep(step: string): void {
    this.log.command(step, `--- ${step}`);
    this.options.progress?.step(this.node.name, step);
  }

  fail(step: string, detail: string, cause?: unknown): DeployError {
    const masked = this.log.mask(detail);
    this.log.command(step, `FAILED: ${masked}`);
    return new DeployError(this.node.name, step, masked, this.log.dir, { cause });
  }

  async connect(step: string): Promise<SshConnection> {
    const { ssh } = this.node;
    this.log.command(step, `connect ${ssh.user}@${ssh.host}:${ssh.port}${ssh.jump ? ` via ${ssh.jump.user}@${ssh.jump.host}:${ssh.jump.port}` : ''} (${ssh.auth.kind} auth)`);
    try {
      this.connection = await SshConnection.connect(ssh, this.options.signal);
    } catch (err) {
      throw this.translate(step, err);
    }
    this.log.command(step, `connected; host key ${this.connection.hostKeyFingerprint}: ${this.connection.hostKeyNote}`);
    return this.connection;
  }

  private translate(step: string, err: unknown): DeployError {
    if (err instanceof DeployError) return err;
    if (this.options.signal?.aborted) return this.fail(step, 'interrupted', err);
    if (err instanceof SshError) return this.fail(step, err.message.replace(/^node [^,]+, step "[^"]*": /, ''), err);
    return this.fail(step, err instanceof Error ? err.message : String(err), err);
  }

  /**
   * Runs a bash script on the node (sent on stdin, so nothing of it shows in `ps`), as the login
   * user, root (sudo -n) or the stack user. Fails the step on a non-zero exit unless `allowFailure`.
   */
  async script(
    step: string,
    script: string,
    as: 'login' | 'root' | 'stack',
    extra: { allowFailure?: boolean; describe?: string; onLine?: (line: string) => void; timeoutMs?: number; stdin?: string } = {},
  ): Promise<ExecResult> {
    const connection = this.connection;
    if (!connection) throw this.fail(step, 'not connected');
    const shell = as === 'login' ? 'bash -s' : as === 'root' ? 'sudo -n bash -s' : `sudo -n -H -u ${shellQuote(this.plan.stackUser)} bash -s`;
    // a script on stdin cannot read other stdin: content for it goes through a here-document-free
    // channel instead (`stdin` is appended after the script and read with `cat` by the script)
    const command = extra.stdin === undefined ? shell : `${shell.replace(/bash -s$/, 'bash -c')} ${shellQuote(script)}`;
    this.log.command(step, `${extra.describe ?? 'run'} (as ${as === 'login' ? this.node.ssh.user : as === 'root' ? 'root' : this.plan.stackUser})`);
    if (extra.describe === undefined || extra.stdin === undefined) this.log.output(script);
    const started = performance.now();
    let partial = '';
    const onChunk = extra.onLine
      ? (chunk: string) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) extra.onLine?.(line);
        }
      : undefined;
    let result: ExecResult;
    try {
      result = await connection.exec(command, {
        step,
        stdin: extra.stdin ?? script,
        keepLast: 64 * 1024,
        ...(onChunk ? { onStdout: onChunk, onStderr: onChunk } : {}),
        ...(extra.timeoutMs !== undefined ? { timeoutMs: extra.timeoutMs } : {}),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
    } catch (err) {
      if (partial !== '') extra.onLine?.(partial);
      throw this.translate(step, err);
    }
    if (partial !== '') extra.onLine?.(partial);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.log.command(step, `exit ${result.exitCode ?? `signal ${result.exitSignal}`} after ${seconds} s`);
    if (!extra.onLine) this.log.output(result.stdout + result.stderr);
    if (!extra.allowFailure && result.exitCode !== 0) {
      const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-10).join('\n    ');
      throw this.fail(step, `exited with code ${result.exitCode ?? `signal ${result.exitSignal}`}${output ? `:\n    ${output}` : ''}`);
    }
    return result;
  }

  /** Reads a file on the node as root; undefined when it does not exist. */
  async readFile(step: string, path: string): Promise<string | undefined> {
    const result = await this.script(step, `if [ -e ${shellQuote(path)} ]; then cat -- ${shellQuote(path)}; else exit 3; fi`, 'root', {
      allowFailure: true,
      describe: `read ${path}`,
      onLine: () => undefined,
    });
    return result.exitCode === 0 ? result.stdout : undefined;
  }
}

function preflightScript(node: DeployNode): string {
  return [
    'set -u',
    'echo "sudo=$(sudo -n true >/dev/null 2>&1 && echo yes || echo no)"',
    'if [ -r /etc/os-release ]; then . /etc/os-release; fi',
    'echo "os=${PRETTY_NAME:-unknown}"',
    'echo "git=$(command -v git || true)"',
    'echo "timeout=$(command -v timeout || true)"',
    `d=${shellQuote(devstackBase(node))}`,
    'while [ ! -d "$d" ]; do d=$(dirname "$d"); done',
    'echo "disk_kb=$(df -Pk "$d" | awk \'NR==2 {print $4}\')"',
    'echo "disk_dir=$d"',
  ].join('\n');
}

async function preflight(session: NodeSession): Promise<void> {
  const step = 'preflight';
  session.log.command(step, `node ${session.node.name} (${session.node.role}), address ${session.node.address}`);
  await session.connect(step);
  const result = await session.script(step, preflightScript(session.node), 'login', { describe: 'check sudo, OS, git, disk' });
  const facts = new Map(result.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
  session.os = facts.get('os') ?? 'unknown';
  if (facts.get('sudo') !== 'yes') throw session.fail(step, `user ${session.node.ssh.user} cannot run "sudo -n" (passwordless sudo is needed, as on Zuul's nodes)`);
  if (!facts.get('git')) throw session.fail(step, 'git is not installed (it clones DevStack)');
  if (!facts.get('timeout')) throw session.fail(step, 'coreutils timeout is not installed (it enforces the stack.sh time limit)');
  const freeGb = Number(facts.get('disk_kb') ?? 'NaN') / 1024 / 1024;
  if (Number.isFinite(freeGb) && freeGb < session.plan.minFreeDiskGb) {
    throw session.fail(step, `only ${freeGb.toFixed(1)} GB free on ${facts.get('disk_dir')}, less than min_free_disk_gb ${session.plan.minFreeDiskGb}`);
  }
  session.log.command(step, `OS ${session.os}, ${Number.isFinite(freeGb) ? `${freeGb.toFixed(1)} GB free` : 'free disk unknown'}`);
}

/** tools/create-stack-user.sh's effect: group and user, home = DEST (traversable), passwordless sudo. */
function stackUserScript(plan: DeploymentPlan, node: DeployNode): string {
  const user = shellQuote(plan.stackUser);
  const base = shellQuote(devstackBase(node));
  return [
    'set -eu',
    // Idempotent and safe when two nodes share a host (containers, our loopback tests): a concurrent
    // creation of the same group/user counts as done, and each run writes its own temporary file
    // (sudo ignores names with a dot) before the atomic rename.
    `getent group ${user} >/dev/null || groupadd ${user} || getent group ${user} >/dev/null`,
    `getent passwd ${user} >/dev/null || useradd -g ${user} -s /bin/bash -d ${base} -m ${user} || getent passwd ${user} >/dev/null`,
    `mkdir -p ${base}`,
    `chown ${user}:${user} ${base}`,
    `chmod 755 ${base}`,
    `tmp=$(mktemp /etc/sudoers.d/.50_${plan.stackUser}_sh.XXXXXX)`,
    `echo ${shellQuote(`${plan.stackUser} ALL=(root) NOPASSWD:ALL`)} > "$tmp"`,
    `chmod 0440 "$tmp"`,
    `mv "$tmp" /etc/sudoers.d/50_${plan.stackUser}_sh`,
  ].join('\n');
}

/**
 * A repository on the node's disk (file:// or a path) is usually owned by another user than the stack
 * user, which git refuses as "dubious ownership". The deployment file names that exact path, so its
 * upload-pack trusts it for this command only (`-c safe.directory=PATH`), never globally.
 */
function trustLocalRepo(repo: string): string {
  const path = repo.startsWith('file://') ? repo.slice('file://'.length) : repo.startsWith('/') ? repo : undefined;
  if (path === undefined) return '';
  const trimmed = path.replace(/\/+$/, '');
  const uploadPack = `git -c safe.directory=${shellQuote(trimmed)} -c safe.directory=${shellQuote(`${trimmed}/.git`)} upload-pack`;
  return ` --upload-pack=${shellQuote(uploadPack)}`;
}

function cloneScript(plan: DeploymentPlan, node: DeployNode): string {
  const dest = shellQuote(node.dest);
  const repo = shellQuote(plan.source.repo);
  const ref = shellQuote(plan.source.ref);
  const trust = trustLocalRepo(plan.source.repo);
  return [
    'set -eu',
    `if [ -d ${dest}/.git ]; then`,
    `  git -C ${dest} fetch --quiet${trust} ${repo} ${ref}`,
    `  git -C ${dest} checkout --quiet --force FETCH_HEAD`,
    'else',
    `  mkdir -p "$(dirname ${dest})"`,
    `  git clone --quiet${trust} ${repo} ${dest}`,
    `  git -C ${dest} checkout --quiet --force ${ref} 2>/dev/null || { git -C ${dest} fetch --quiet${trust} origin ${ref} && git -C ${dest} checkout --quiet --force FETCH_HEAD; }`,
    'fi',
    `git -C ${dest} log -1 --format='checked out %H (%s)'`,
  ].join('\n');
}

async function prepareNode(session: NodeSession): Promise<void> {
  const { plan } = session;
  session.beginStep('stack user');
  await session.script('stack user', stackUserScript(plan, session.node), 'root', { describe: `create user ${plan.stackUser} with passwordless sudo` });
  session.beginStep('clone');
  await session.script('clone', cloneScript(plan, session.node), 'stack', { describe: `clone ${plan.source.repo} (${plan.source.ref}) into ${session.node.dest}` });
  session.beginStep('local.conf');
  let text: string;
  try {
    text = renderLocalConf(session.node.vars);
  } catch (err) {
    throw session.fail('local.conf', err instanceof InputError ? err.message : String(err), err);
  }
  session.log.write('local.conf', maskLocalConf(text));
  const path = `${session.node.dest}/local.conf`;
  await session.script('local.conf', `umask 077; cat > ${shellQuote(path)}`, 'stack', { describe: `write ${path} (copy with secrets masked: local.conf)`, stdin: text });
}

async function runStackScript(session: NodeSession, script: 'stack.sh' | 'unstack.sh', timeoutSeconds: number, progress: DeployProgress | undefined): Promise<void> {
  const { plan, node } = session;
  const tail: string[] = [];
  const started = performance.now();
  const command = `cd ${shellQuote(node.dest)} && exec timeout -k 30 ${Math.ceil(timeoutSeconds)} ./${script} 2>&1`;
  const logName = `${script}.log`;
  const result = await session.script(script, command, 'stack', {
    allowFailure: true,
    describe: `${command}; output in ${logName}`,
    // the remote `timeout` stops it; this local limit only covers a node that stops answering
    timeoutMs: (timeoutSeconds + 90) * 1000,
    onLine: (raw) => {
      const line = session.log.mask(raw);
      session.log.append(logName, `${line}\n`);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      const done = STACK_COMPLETED.exec(line);
      if (done) session.stackSeconds = Number(done[1]);
      progress?.line(node.name, line);
    },
  });
  if (script === 'stack.sh' && session.stackSeconds === undefined) session.stackSeconds = Math.round((performance.now() - started) / 1000);
  if (result.exitCode === 0) return;
  const lastLines = tail.length > 0 ? `; its last lines:\n    ${tail.join('\n    ')}` : '';
  if (result.exitCode === 124 || result.exitCode === 137) {
    throw session.fail(script, `${script} did not finish within its time limit of ${timeoutSeconds} s and was killed${lastLines}`);
  }
  throw session.fail(script, `${script} failed with exit code ${result.exitCode ?? `signal ${result.exitSignal}`}${lastLines}`);
}

/** Zuul's copy-build-sshkey: one key pair for the stack user, the same on every node, authorized everywhere. */
async function distributeStackKey(sessions: NodeSession[], privateKey: string, publicKey: string): Promise<void> {
  const script = [
    'set -eu',
    'umask 077',
    'mkdir -p ~/.ssh',
    'cat > ~/.ssh/id_ed25519',
    `echo ${shellQuote(publicKey)} > ~/.ssh/id_ed25519.pub`,
    'touch ~/.ssh/authorized_keys',
    `grep -qxF ${shellQuote(publicKey)} ~/.ssh/authorized_keys || echo ${shellQuote(publicKey)} >> ~/.ssh/authorized_keys`,
  ].join('\n');
  await Promise.all(
    sessions.map(async (session) => {
      session.beginStep('ssh key');
      await session.script('ssh key', script, 'stack', { describe: `install the deployment's SSH key for ${session.plan.stackUser} (${publicKey.split(' ')[0]})`, stdin: privateKey });
    }),
  );
}

async function collectLogs(session: NodeSession): Promise<void> {
  const step = 'collect logs';
  try {
    if (!session.connection || session.connection.lost !== undefined) {
      session.connection?.close();
      if (!session.connection) return;
      await session.connect(step);
    }
    const base = devstackBase(session.node);
    const logFile = literalLocalrc(session.node, 'LOGFILE') ?? `${base}/logs/devstacklog.txt`;
    const wanted: Array<[string, string]> = [
      [logFile, 'devstacklog.txt'],
      [`${session.node.dest}/.stackenv`, 'stackenv.txt'],
    ];
    for (const [remote, local] of wanted) {
      const content = await session.readFile(step, remote);
      if (content !== undefined) session.log.write(local, content);
      else session.log.command(step, `${remote} does not exist`);
    }
  } catch (err) {
    session.log.command(step, `could not fetch DevStack's logs: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readAdminCredential(session: NodeSession): Promise<CloudCredential> {
  const step = 'credentials';
  const path = literalLocalrc(session.node, 'CLOUDS_YAML') ?? DEFAULT_CLOUDS_YAML;
  const text = await session.readFile(step, path);
  if (text === undefined) throw session.fail(step, `${path} does not exist: stack.sh did not write clouds.yaml`);
  const dir = mkdtempSync(join(tmpdir(), 'rally-gate-deploy-'));
  try {
    const file = join(dir, 'clouds.yaml');
    writeFileSync(file, text, { mode: 0o600 });
    // only this file: no secure.yaml or user clouds.yaml may mix in
    const credential = loadCloudsYaml({ cloud: 'devstack-admin', env: { OS_CLIENT_CONFIG_FILE: file, XDG_CONFIG_HOME: dir, XDG_CONFIG_DIRS: dir }, cwd: dir, homeDir: dir });
    return { ...credential, origin: `cloud 'devstack-admin' of ${path} on node ${session.node.name} (${session.node.ssh.host})` };
  } catch (err) {
    const why = err instanceof InputError ? err.message : err instanceof Error ? err.message : String(err);
    throw session.fail(step, `cannot read cloud 'devstack-admin' from ${path}: ${redactSecrets(why.replaceAll(dir, ''), [text])}`, err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sessionsFor(plan: DeploymentPlan, options: DeployOptions, extraSecrets: string[] = []): NodeSession[] {
  const secrets = [...plan.secrets, ...extraSecrets];
  return [plan.controller, ...plan.subnodes].map((node) => new NodeSession(node, plan, options, secrets));
}

/** Runs `work` on every session at once; fails with the first failure (after all have ended). */
async function onAll(sessions: NodeSession[], work: (session: NodeSession) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(sessions.map(work));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length === 0) return;
  if (failed.length === 1) throw failed[0]?.reason;
  const errors = failed.map((f) => f.reason as Error);
  const first = errors[0];
  if (first instanceof DeployError) {
    throw new DeployError(first.node, first.step, `${first.detail}\n  also failed: ${errors.slice(1).map((e) => (e instanceof DeployError ? `node ${e.node}, step "${e.step}": ${e.detail.split('\n')[0]}` : e.message)).join('; ')}`, dirname(first.logsDir));
  }
  throw first;
}

/** Deploys DevStack as the plan says and returns the controller's admin credential. */
export async function deployDevstack(plan: DeploymentPlan, options: DeployOptions): Promise<DeployResult> {
  const { privateKey, publicKey } = plan.subnodes.length > 0 ? await generateStackKey() : { privateKey: '', publicKey: '' };
  const sessions = sessionsFor(plan, options, privateKey ? [privateKey.trim()] : []);
  const [controller, ...subnodes] = sessions as [NodeSession, ...NodeSession[]];
  const logsDir = join(options.outDir, 'deploy');
  try {
    await onAll(sessions, async (session) => {
      session.beginStep('preflight');
      await preflight(session);
      await prepareNode(session);
    });
    controller.beginStep('stack.sh');
    await runStackScript(controller, 'stack.sh', plan.stackTimeoutSeconds, options.progress);
    if (subnodes.length > 0) {
      await distributeStackKey(sessions, privateKey, publicKey);
      await onAll(subnodes, async (session) => {
        session.beginStep('stack.sh');
        await runStackScript(session, 'stack.sh', plan.stackTimeoutSeconds, options.progress);
      });
      controller.beginStep('discover_hosts.sh');
      await controller.script('discover_hosts.sh', `cd ${shellQuote(controller.node.dest)} && ./tools/discover_hosts.sh`, 'stack', {
        describe: 'tools/discover_hosts.sh (map the subnodes\' computes to cells)',
      });
    }
    controller.beginStep('credentials');
    const credential = await readAdminCredential(controller);
    return {
      credential,
      logsDir,
      nodes: sessions.map((s) => ({
        name: s.node.name,
        role: s.node.role,
        host: s.node.ssh.host,
        os: s.os,
        hostKeyFingerprint: s.connection?.hostKeyFingerprint ?? '',
        ...(s.stackSeconds !== undefined ? { stackSeconds: s.stackSeconds } : {}),
        logDir: s.logsDir,
      })),
    };
  } finally {
    await Promise.all(
      sessions.map(async (session) => {
        if (!options.signal?.aborted) await collectLogs(session);
        session.connection?.close();
      }),
    );
  }
}

async function generateStackKey(): Promise<{ privateKey: string; publicKey: string }> {
  const ssh2 = await loadSsh2();
  const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'rally-gate-deploy' });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/** `rally-gate deploy --destroy`: unstack.sh on the subnodes (in parallel), then on the controller. */
export async function destroyDevstack(plan: DeploymentPlan, options: DeployOptions): Promise<{ logsDir: string }> {
  const sessions = sessionsFor(plan, options);
  const [controller, ...subnodes] = sessions as [NodeSession, ...NodeSession[]];
  const unstack = async (session: NodeSession) => {
    session.beginStep('unstack.sh');
    await session.connect('unstack.sh');
    await runStackScript(session, 'unstack.sh', plan.stackTimeoutSeconds, options.progress);
  };
  try {
    await onAll(subnodes, unstack);
    await unstack(controller);
    return { logsDir: join(options.outDir, 'deploy') };
  } finally {
    for (const session of sessions) session.connection?.close();
  }
}
