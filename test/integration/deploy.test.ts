/**
 * `rally-gate deploy` against real OpenSSH servers on 127.0.0.2 and 127.0.0.3 (test/support/sshd.ts)
 * with a DevStack-shaped fixture repo (test/fixtures/devstack) cloned by file URL: single node,
 * multinode, host key policies, jump host, destroy, each fault (wrong key, unknown host key,
 * unreachable node, stack.sh failing, connection dropped mid-stack.sh), bad deployment files, and
 * the end-to-end run: the "deployed" controller points at the project's dev cloud and a keystone
 * task runs on the credential the deployment returned.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudCredential } from '../../src/cloud/credential.js';
import { DeployError, deployDevstack, type DeployProgress } from '../../src/deploy/devstack/deploy.js';
import { loadDeploymentFile } from '../../src/deploy/devstack/plan.js';
import { DEV_CLOUD_ENABLED, DEV_CLOUD_STATE_DIR, repoRoot } from '../support/dev-cloud.js';
import { runCli } from '../support/cli.js';
import { ensureTestUser, sshdSkipReason, startSshd, type TestSshd, type TestUser } from '../support/sshd.js';

const skipReason = sshdSkipReason();
if (skipReason) console.warn(`deploy integration tests skipped: ${skipReason}`);

const STACK_USER = 'rgstack';
const ADMIN_PASSWORD = `adminpw-${process.pid}-Zq9`;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const runCliIn = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env });

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

describe.skipIf(skipReason !== undefined)('rally-gate deploy over real SSH', () => {
  let root: string;
  let user: TestUser;
  let nodeA: TestSshd;
  let nodeB: TestSshd;
  let repoUrl: string;
  let caseNumber = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'rgdeploy-'));
    chmodSync(root, 0o755);
    user = ensureTestUser(root);
    nodeA = await startSshd('127.0.0.2', user);
    nodeB = await startSshd('127.0.0.3', user);
    // the DevStack-shaped repo the nodes clone by file URL
    const repo = join(root, 'devstack-src');
    cpSync(join(repoRoot, 'test/fixtures/devstack'), repo, { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' });
    git('init', '-q', '-b', 'master');
    git('add', '.');
    git('-c', 'user.name=rally-gate test', '-c', 'user.email=test@rally-gate.invalid', 'commit', '-q', '-m', 'fixture devstack');
    execFileSync('chmod', ['-R', 'a+rX', repo]);
    repoUrl = `file://${repo}`;
  });

  afterAll(async () => {
    await nodeA?.stop();
    await nodeB?.stop();
    try {
      execFileSync('userdel', [STACK_USER], { stdio: 'ignore' });
    } catch {
      // not created
    }
    rmSync(`/etc/sudoers.d/50_${STACK_USER}_sh`, { force: true });
    rmSync(`/etc/sudoers.d/90-${user?.name}-test`, { force: true });
    if (root) rmSync(root, { recursive: true, force: true });
  });

  interface NodeSpec {
    name: string;
    sshd: TestSshd;
    /** deployment-file lines for the node's credential and host key (indented by the caller) */
    access?: string[];
    localrc?: Record<string, string>;
  }

  /** A deployment file for these nodes, each with its own dest, log file and clouds.yaml under the case folder. */
  function writeDeployment(nodes: NodeSpec[], extra: { stackTimeout?: number } = {}): { file: string; caseDir: string; outDir: string } {
    const caseDir = join(root, `case${++caseNumber}`);
    mkdirSync(caseDir, { recursive: true });
    const nodeLines = (node: NodeSpec, indent: string) =>
      [
        `name: ${node.name}`,
        `host: ${node.sshd.address}`,
        `port: ${node.sshd.port}`,
        // the test nodes share this machine's disk: a checkout each
        `dest: ${join(caseDir, node.name, 'checkout', 'devstack')}`,
        ...(node.access ?? [`private_key: ${user.privateKeyFile}`, 'host_key:', `  known_hosts: ${node.sshd.knownHostsFile}`]),
      ].map((line) => `${indent}${line}`);
    const [controller, ...subnodes] = nodes as [NodeSpec, ...NodeSpec[]];
    const hostVars = nodes.flatMap((node) => {
      const base = join(caseDir, node.name);
      mkdirSync(base, { recursive: true, mode: 0o777 });
      chmodSync(base, 0o777);
      const localrc = {
        ADMIN_PASSWORD,
        DATABASE_PASSWORD: 'dbpw-secret-9f',
        LOGFILE: `${base}/logs/devstacklog.txt`,
        CLOUDS_YAML: `${base}/etc/openstack/clouds.yaml`,
        ...node.localrc,
      };
      return [`  ${node.name}:`, '    devstack_localrc:', ...Object.entries(localrc).map(([k, v]) => `      ${k}: "${v}"`)];
    });
    const text = [
      'ssh:',
      `  user: ${user.name}`,
      'controller:',
      ...nodeLines(controller, '  '),
      ...(subnodes.length > 0 ? ['subnodes:', ...subnodes.flatMap((n) => nodeLines(n, '    ').map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l)))] : []),
      'devstack:',
      `  repo: ${repoUrl}`,
      '  branch: master',
      // one stack user, a checkout per node and case (the nodes share this machine's disk)
      `  stack_user: ${STACK_USER}`,
      `  stack_timeout: ${extra.stackTimeout ?? 120}`,
      '  min_free_disk_gb: 0',
      'vars:',
      '  devstack_services:',
      '    base: false',
      '    key: true',
      '    g-api: true',
      '  devstack_plugins:',
      '    example-plugin: https://opendev.org/openstack/example-plugin',
      'host_vars:',
      ...hostVars,
      '',
    ].join('\n');
    const file = join(caseDir, 'deployment.yaml');
    writeFileSync(file, text);
    return { file, caseDir, outDir: join(caseDir, 'out') };
  }

  function secretsIn(outDir: string): string[] {
    const keyBody = user.privateKey.split('\n')[1] as string;
    const found: string[] = [];
    for (const file of filesUnder(outDir)) {
      const text = readFileSync(file, 'utf8');
      for (const [what, secret] of [
        ['ADMIN_PASSWORD', ADMIN_PASSWORD],
        ['DATABASE_PASSWORD', 'dbpw-secret-9f'],
        ['login password', user.password],
        ['private key', keyBody],
        ['a private key block', 'PRIVATE KEY-----'],
      ] as const) {
        if (text.includes(secret)) found.push(`${what} in ${file}`);
      }
    }
    return found;
  }

  async function expectDeployError(file: string, outDir: string, progress?: DeployProgress): Promise<DeployError> {
    const error = await deployDevstack(loadDeploymentFile(file), { outDir, ...(progress ? { progress } : {}) }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(DeployError);
    return error as DeployError;
  }

  it('deploys one node: preflight, stack user, clone, local.conf, stack.sh, credential, logs without secrets', async () => {
    const { file, outDir, caseDir } = writeDeployment([{ name: 'controller', sshd: nodeA }]);
    const lines: string[] = [];
    const result = await deployDevstack(loadDeploymentFile(file), { outDir, progress: { step: (n, s) => lines.push(`${n}: ${s}`), line: (n, l) => lines.push(`${n}> ${l}`) } });
    expect(result.credential.authUrl).toBe('http://127.0.0.2/identity');
    expect(result.credential.admin).toMatchObject({ method: 'password', password: ADMIN_PASSWORD, user: { name: 'admin' } });
    expect(result.credential.origin).toContain('on node controller');
    expect(result.nodes).toEqual([expect.objectContaining({ name: 'controller', role: 'controller', host: '127.0.0.2', hostKeyFingerprint: nodeA.fingerprint })]);
    expect(result.nodes[0]?.stackSeconds).toBeGreaterThanOrEqual(0);
    expect(lines).toEqual(expect.arrayContaining(['controller: preflight', 'controller: stack.sh', expect.stringMatching(/^controller> stack.sh completed in \d+ seconds\.$/)]));
    // the node's local.conf, as DevStack reads it
    const remoteConf = readFileSync(join(caseDir, 'controller/checkout/devstack/local.conf'), 'utf8');
    expect(remoteConf).toMatch(/^\[\[local\|localrc\]\]\nenable_plugin example-plugin https:\/\/opendev.org\/openstack\/example-plugin\ndisable_all_services\nenable_service key\nenable_service g-api\nADMIN_PASSWORD=adminpw/);
    expect(remoteConf).toContain('HOST_IP=127.0.0.2\n');
    expect(remoteConf).toContain('SERVICE_HOST=127.0.0.2\n');
    const logs = join(outDir, 'deploy/controller');
    expect(readdirSync(logs).sort()).toEqual(['commands.log', 'devstacklog.txt', 'local.conf', 'stack.sh.log', 'stackenv.txt']);
    expect(readFileSync(join(logs, 'local.conf'), 'utf8')).toContain('ADMIN_PASSWORD=***');
    expect(readFileSync(join(logs, 'devstacklog.txt'), 'utf8')).toContain('ENABLED_SERVICES=key,g-api');
    expect(readFileSync(join(logs, 'commands.log'), 'utf8')).toContain(`host key ${nodeA.fingerprint}`);
    expect(secretsIn(outDir)).toEqual([]);
  });

  it('deploys a controller and a subnode (password login, pinned fingerprint): subnode after controller, shared stack key, discover_hosts', async () => {
    const { file, outDir, caseDir } = writeDeployment([
      { name: 'controller', sshd: nodeA },
      { name: 'compute1', sshd: nodeB, access: ['password_env: RG_TEST_NODE_PASSWORD', 'host_key:', `  fingerprint: ${nodeB.fingerprint}`] },
    ]);
    const steps: string[] = [];
    const plan = loadDeploymentFile(file, { ...process.env, RG_TEST_NODE_PASSWORD: user.password });
    const result = await deployDevstack(plan, { outDir, progress: { step: (n, s) => steps.push(`${n}: ${s}`), line: () => undefined } });
    expect(result.nodes.map((n) => n.name)).toEqual(['controller', 'compute1']);
    // Zuul's order: controller stack.sh, the key, subnode stack.sh, discover_hosts
    const order = ['controller: stack.sh', 'compute1: ssh key', 'compute1: stack.sh', 'controller: discover_hosts.sh'].map((s) => steps.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const subnodeConf = readFileSync(join(outDir, 'deploy/compute1/local.conf'), 'utf8');
    expect(subnodeConf).toContain('HOST_IP=127.0.0.3\n');
    expect(subnodeConf).toContain('SERVICE_HOST=127.0.0.2\n');
    expect(subnodeConf).toContain('DATABASE_HOST=127.0.0.2\n');
    expect(subnodeConf).toContain('RABBIT_HOST=127.0.0.2\n');
    expect(existsSync(join(caseDir, 'controller/checkout/devstack/.discovered'))).toBe(true);
    const stackHome = execFileSync('getent', ['passwd', STACK_USER], { encoding: 'utf8' }).split(':')[5] as string;
    expect(readFileSync(join(stackHome, '.ssh/authorized_keys'), 'utf8')).toMatch(/^ssh-ed25519 \S+ rally-gate-deploy$/m);
    expect(secretsIn(outDir)).toEqual([]);
  });

  it('reaches the controller through a jump host, and accept_new records a new host key', async () => {
    const knownHosts = join(root, `accept-new-known-hosts-${caseNumber}`);
    const { file, outDir } = writeDeployment([
      {
        name: 'controller',
        sshd: nodeA,
        access: [
          `private_key: ${user.privateKeyFile}`,
          'host_key:',
          '  accept_new: true',
          `  known_hosts: ${knownHosts}`,
          'jump_host:',
          `  host: ${nodeB.address}`,
          `  port: ${nodeB.port}`,
          `  private_key: ${user.privateKeyFile}`,
          '  host_key:',
          `    fingerprint: ${nodeB.fingerprint}`,
        ],
      },
    ]);
    const result = await deployDevstack(loadDeploymentFile(file), { outDir });
    expect(result.credential.authUrl).toBe('http://127.0.0.2/identity');
    expect(readFileSync(knownHosts, 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.2\\]:${nodeA.port} ssh-ed25519 `));
    expect(readFileSync(join(outDir, 'deploy/controller/commands.log'), 'utf8')).toContain(`via ${user.name}@127.0.0.3:${nodeB.port}`);
  });

  it('faults: wrong key, unknown host key, unreachable node, each naming node and step', async () => {
    const otherKey = join(root, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const wrongKey = writeDeployment([{ name: 'controller', sshd: nodeA, access: [`private_key: ${otherKey}`, 'host_key:', `  known_hosts: ${nodeA.knownHostsFile}`] }]);
    const auth = await expectDeployError(wrongKey.file, wrongKey.outDir);
    expect(auth.message).toMatch(/node controller, step "preflight": .*authentication failed: the server refused the private key for user rgnode/);
    expect(auth.message).toContain(`logs so far: ${join(wrongKey.outDir, 'deploy/controller')}`);
    expect(readFileSync(join(wrongKey.outDir, 'deploy/controller/commands.log'), 'utf8')).toContain('FAILED');

    const emptyKnownHosts = join(root, 'empty_known_hosts');
    writeFileSync(emptyKnownHosts, '');
    const unknownKey = writeDeployment([{ name: 'controller', sshd: nodeA, access: [`private_key: ${user.privateKeyFile}`, 'host_key:', `  known_hosts: ${emptyKnownHosts}`] }]);
    const hostKey = await expectDeployError(unknownKey.file, unknownKey.outDir);
    expect(hostKey.message).toContain(`unknown host key ${nodeA.fingerprint}`);

    const deadNode = { ...nodeA, address: '127.0.0.4' } as TestSshd;
    const unreachable = writeDeployment([{ name: 'controller', sshd: deadNode, access: [`private_key: ${user.privateKeyFile}`, 'host_key:', '  accept_new: true'] }]);
    const refused = await expectDeployError(unreachable.file, unreachable.outDir);
    expect(refused.message).toMatch(/node controller, step "preflight": .*127\.0\.0\.4:\d+: connection refused/);
  });

  it('stack.sh failing: its exit code and last lines, the subnode untouched, logs kept', async () => {
    const { file, outDir } = writeDeployment([
      { name: 'controller', sshd: nodeA, localrc: { FIXTURE_FAIL: '1' } },
      { name: 'compute1', sshd: nodeB },
    ]);
    const error = await expectDeployError(file, outDir);
    expect(error.node, error.message).toBe('controller');
    expect(error.step).toBe('stack.sh');
    expect(error.message).toContain('stack.sh failed with exit code 1; its last lines:');
    expect(error.message).toContain('ERROR: fixture failure requested (FIXTURE_FAIL=1)');
    expect(readFileSync(join(outDir, 'deploy/controller/stack.sh.log'), 'utf8')).toContain('Configuring keystone');
    expect(readFileSync(join(outDir, 'deploy/controller/devstacklog.txt'), 'utf8')).toContain('fixture failure requested');
    expect(existsSync(join(outDir, 'deploy/compute1/stack.sh.log'))).toBe(false);
    expect(secretsIn(outDir)).toEqual([]);
  });

  it('the SSH connection dropped mid-stack.sh: a connection-lost error for that node, logs so far kept', async () => {
    const { file, outDir } = writeDeployment([{ name: 'controller', sshd: nodeA, localrc: { FIXTURE_SLEEP: '20' } }]);
    let dropped = false;
    const started = performance.now();
    const error = await expectDeployError(file, outDir, {
      step: () => undefined,
      line: (_node, line) => {
        if (!dropped && line.includes('sleeping')) {
          dropped = true;
          nodeA.dropSessions();
        }
      },
    });
    expect(dropped).toBe(true);
    expect(error.step).toBe('stack.sh');
    expect(error.message).toMatch(/node controller, step "stack.sh": .*(closed|lost|failed)/);
    expect(performance.now() - started).toBeLessThan(19_000);
    expect(readFileSync(join(outDir, 'deploy/controller/stack.sh.log'), 'utf8')).toContain('sleeping 20 s');
  });

  it('CLI: deploy and --destroy exit 0; a fault exits 3; a bad deployment file exits 2 with file:line and runs nothing', async () => {
    const { file, outDir, caseDir } = writeDeployment([{ name: 'controller', sshd: nodeA }]);
    const deployed = await runCliIn(['deploy', file, '--out', outDir]);
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain('[controller] stack.sh completed in');
    expect(deployed.stdout).toMatch(/cloud: http:\/\/127\.0\.0\.2\/identity as user admin/);
    expect(JSON.parse(readFileSync(join(outDir, 'deploy/result.json'), 'utf8')).credential.admin.password).toBe('***');
    const destroyed = await runCliIn(['deploy', file, '--destroy', '--out', outDir]);
    expect(destroyed.code).toBe(0);
    expect(existsSync(join(caseDir, 'controller/checkout/devstack/.unstacked'))).toBe(true);
    expect(readFileSync(join(outDir, 'deploy/controller/unstack.sh.log'), 'utf8')).toContain('unstack.sh done');
    expect(secretsIn(outDir)).toEqual([]);

    const failing = writeDeployment([{ name: 'controller', sshd: nodeA, localrc: { FIXTURE_FAIL: '1' } }]);
    const failed = await runCliIn(['deploy', failing.file, '--out', failing.outDir]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('deploy failed on node controller, step "stack.sh": stack.sh failed with exit code 1');

    const bad = join(root, 'bad-deployment.yaml');
    writeFileSync(bad, `controller:\n  host: 127.0.0.2\n  user: x\n  password: y\n  prot: 22\ndevstack:\n  repo: ${repoUrl}\n`);
    const rejected = await runCliIn(['deploy', bad, '--out', join(root, 'bad-out')]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`${bad}:5:3: controller.prot:`);
    expect(existsSync(join(root, 'bad-out'))).toBe(false);
  });

  it.skipIf(!DEV_CLOUD_ENABLED)('end to end: the deployed controller points at the dev cloud and a keystone task runs on the returned credential', async () => {
    const { file, outDir, caseDir } = writeDeployment([
      { name: 'controller', sshd: nodeA, localrc: { FIXTURE_CLOUDS_FROM: join(DEV_CLOUD_STATE_DIR, 'clouds.yaml') } },
    ]);
    const result = await deployDevstack(loadDeploymentFile(file), { outDir });
    expect(result.credential.authUrl).toBe('http://127.0.0.1:5000/v3');
    const task = join(caseDir, 'keystone-task.yaml');
    writeFileSync(task, ['---', 'Authenticate.keystone:', '  - runner: {type: constant, times: 5, concurrency: 1}', '    context: {users: {tenants: 1, users_per_tenant: 1}}', ''].join('\n'));
    const run = await runCliIn(['task', 'start', task, '--out', join(caseDir, 'results'), '--no-progress', '--no-html'], credentialEnvironment(result.credential));
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(readFileSync(join(caseDir, 'results/task.json'), 'utf8'));
    expect(JSON.stringify(record)).toContain('Authenticate.keystone');
  }, 120_000);

  it.skipIf(!DEV_CLOUD_ENABLED)('rally-gate run --deployment: deploys, then runs the gate on the deployed cloud, logs beside the results', async () => {
    const { file, caseDir } = writeDeployment([
      { name: 'controller', sshd: nodeA, localrc: { FIXTURE_CLOUDS_FROM: join(DEV_CLOUD_STATE_DIR, 'clouds.yaml') } },
    ]);
    const task = join(caseDir, 'keystone-task.yaml');
    writeFileSync(task, ['---', 'Authenticate.keystone:', '  - runner: {type: constant, times: 3, concurrency: 1}', '    context: {users: {tenants: 1, users_per_tenant: 1}}', ''].join('\n'));
    const settings = join(caseDir, 'gate.yaml');
    writeFileSync(settings, ['version: 1', 'tasks:', `  - file: ${task}`, ''].join('\n'));
    const out = join(caseDir, 'gate-results');
    // No OS_* and no clouds.yaml: the only way to the cloud is the one the deployment made.
    const run = await runCliIn(['run', '--settings', settings, '--deployment', file, '--out', out, '--no-progress'], { OS_CLOUD: '', OS_AUTH_URL: '', OS_CLIENT_CONFIG_FILE: '/nonexistent' });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stderr).toContain('DevStack deployed');
    expect(existsSync(join(out, 'deploy/controller/stack.sh.log'))).toBe(true);
    const verdict = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8'));
    expect(JSON.stringify(verdict)).toContain('Authenticate.keystone');
    expect(secretsIn(out)).toEqual([]);
    const cloudPassword = /password:\s*['"]?([^'"\s]+)/.exec(readFileSync(join(DEV_CLOUD_STATE_DIR, 'clouds.yaml'), 'utf8'))?.[1];
    expect(cloudPassword).toBeTruthy();
    // As a whole word: the dev cloud's password may be a common word ("secret" is in "secrets masked").
    const asWord = new RegExp(`(?<![\\w-])${cloudPassword!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);
    for (const f of filesUnder(out)) expect(asWord.test(readFileSync(f, 'utf8')), `the cloud's admin password in ${f}`).toBe(false);
  }, 180_000);
});

/** An openrc for a credential (the form a child process takes it in), nothing inherited from other sources. */
function credentialEnvironment(credential: CloudCredential): NodeJS.ProcessEnv {
  const admin = credential.admin;
  if (admin?.method !== 'password') throw new Error('expected a password credential');
  const scope = admin.scope?.kind === 'project' ? admin.scope : undefined;
  const env: Record<string, string | undefined> = {
    OS_AUTH_URL: credential.authUrl,
    OS_USERNAME: admin.user.name ?? '',
    OS_PASSWORD: admin.password,
    OS_PROJECT_NAME: scope?.name ?? '',
    OS_USER_DOMAIN_NAME: admin.user.domainName ?? '',
    OS_USER_DOMAIN_ID: admin.user.domainId ?? '',
    OS_PROJECT_DOMAIN_NAME: scope?.domainName ?? '',
    OS_PROJECT_DOMAIN_ID: scope?.domainId ?? '',
    OS_REGION_NAME: credential.regionName ?? '',
    OS_INTERFACE: credential.interface,
    OS_IDENTITY_API_VERSION: '3',
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}
