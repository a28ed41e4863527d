/**
 * Tempest on "the controller" over SSH: a real OpenSSH server on 127.0.0.2 (test/support/sshd.ts)
 * whose login user `rgnode` runs commands on this machine, which has Debian's tempest, so the
 * node is this machine reached through sshd.
 *
 * First SshCommandRunner itself (needs root for sshd): binary stdout intact, stderr and exit
 * codes, files written with their mode, removal limited to its own dirs, a stopped command's
 * whole process group gone. Then, with RALLY_GATE_DEV_CLOUD=1 and the build, `rally-gate verify
 * --on-controller` against the dev cloud: the same identity tests give the same statuses as a
 * local run, Ctrl-C stops the remote tempest (no process of it left) and deletes the resources,
 * and `rally-gate run --deployment` with `verify: {where: controller}` deploys the fixture DevStack
 * of deploy.test.ts (stack user rgvstack) and runs Tempest on its controller. 1.5-3 min (load).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCloudsYaml } from '../../src/cloud/index.js';
import { loadDeploymentFile } from '../../src/deploy/devstack/plan.js';
import { OpenStackCloud, compute, image, network, type OpenStackSession } from '../../src/openstack/index.js';
import { collectTail, runToEnd } from '../../src/verify/command-runner.js';
import { SshCommandRunner } from '../../src/verify/ssh-command-runner.js';
import type { VerificationResult } from '../../src/verify/types.js';
import { DEV_CLOUD_ENABLED, DEV_CLOUD_STATE_DIR, cli, devCloudEnv, repoRoot, type CliRun } from '../support/dev-cloud.js';
import { ensureTestUser, sshdSkipReason, startSshd, type TestSshd, type TestUser } from '../support/sshd.js';

const skipReason = sshdSkipReason();
if (skipReason) console.warn(`verify over SSH tests skipped: ${skipReason}`);
const TEMPEST = existsSync('/usr/bin/tempest');
/** not deploy.test.ts's stack user: both files may run at once and each removes its own */
const STACK_USER = 'rgvstack';

/** The login user's processes whose command line matches `pattern` (pgrep's exit 1 = none). */
function userProcesses(user: string, pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-a', '-u', user, '-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function eventually(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe.skipIf(skipReason !== undefined)('tempest on a node over SSH (real sshd on 127.0.0.2)', () => {
  let root: string;
  let user: TestUser;
  let node: TestSshd;
  let deploymentFile: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'rg-verify-ssh-'));
    chmodSync(root, 0o755);
    user = ensureTestUser(root);
    node = await startSshd('127.0.0.2', user);
    deploymentFile = join(root, 'deployment.yaml');
    // only the controller's SSH settings are used by --on-controller; devstack: is required by the format
    writeFileSync(
      deploymentFile,
      [
        'controller:',
        `  host: ${node.address}`,
        `  port: ${node.port}`,
        `  user: ${user.name}`,
        `  private_key: ${user.privateKeyFile}`,
        '  host_key:',
        `    known_hosts: ${node.knownHostsFile}`,
        'devstack:',
        '  repo: https://opendev.org/openstack/devstack',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await node?.stop();
    try {
      execFileSync('userdel', [STACK_USER], { stdio: 'ignore' });
    } catch {
      // not created
    }
    rmSync(`/etc/sudoers.d/50_${STACK_USER}_sh`, { force: true });
    rmSync(`/etc/sudoers.d/90-${user?.name}-test`, { force: true });
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function openRunner(): Promise<SshCommandRunner> {
    return SshCommandRunner.open(loadDeploymentFile(deploymentFile).controller.ssh, { killGraceSeconds: 3 });
  }

  describe('SshCommandRunner', () => {
    let runner: SshCommandRunner;
    beforeAll(async () => {
      runner = await openRunner();
    });
    afterAll(async () => {
      await runner?.close();
    });

    it('streams binary stdout unchanged, stderr and the exit code, in cwd with env', async () => {
      const dir = await runner.makeTempDir('rg-ssh-it-');
      expect(runner.describe()).toBe(`ssh ${user.name}@127.0.0.2:${node.port} (controller)`);
      // every byte value, then random bytes: what a subunit stream is made of
      const script = 'printf "$MARK" >&2; head -c 256 /dev/zero | tr "\\000" "\\377"; head -c 400000 /dev/urandom | tee payload.bin; exit 3';
      const running = runner.start(['/bin/sh', '-c', script], { cwd: dir, env: { MARK: 'to stderr' } });
      const chunks: Buffer[] = [];
      running.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const stderr = collectTail(running.stderr);
      const exit = await running.exit;
      expect(exit).toEqual({ code: 3, signal: null });
      expect(await stderr).toBe('to stderr');
      const received = Buffer.concat(chunks);
      expect(received.subarray(0, 256).every((b) => b === 0xff)).toBe(true);
      // the node is this machine: the file the command wrote is readable here
      const sent = readFileSync(join(dir, 'payload.bin'));
      expect(createHash('sha256').update(received.subarray(256)).digest('hex')).toBe(createHash('sha256').update(sent).digest('hex'));
      expect(statSync(dir).uid).toBe(Number(execFileSync('id', ['-u', user.name], { encoding: 'utf8' })));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      await runner.removeDir(dir);
      expect(existsSync(dir)).toBe(false);
    });

    it('writes files with their mode (secrets 0600, also over an existing file) and refuses to remove what it did not make', async () => {
      const dir = await runner.makeTempDir('rg-ssh-it-');
      const file = join(dir, 'tempest.conf');
      await runner.writeFile(file, 'public\n');
      expect(statSync(file).mode & 0o777).toBe(0o644);
      await runner.writeFile(file, "admin_password = it's $ecret\n", 0o600);
      expect(readFileSync(file, 'utf8')).toBe("admin_password = it's $ecret\n");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await expect(runner.removeDir(root)).rejects.toThrow(/was not made by this runner/);
      expect(existsSync(root)).toBe(true);
      await runner.removeDir(dir);
    });

    it('a missing program ends with exit code 127 and the shell\'s message', async () => {
      const result = await runToEnd(runner, ['/nonexistent/tempest', '--version']);
      expect(result.code).toBe(127);
      expect(result.stderr).toMatch(/not found|No such file/);
    });

    it('kill() stops the command and every process it started (they ignore the closed channel)', async () => {
      const marker = `sleep 29${randomBytes(1)[0]! % 10}.${process.pid}`;
      const running = runner.start(['/bin/sh', '-c', `${marker} & ${marker} & wait`]);
      expect(await eventually(() => userProcesses(user.name, marker).length >= 2, 10_000)).toBe(true);
      const started = Date.now();
      running.kill();
      const exit = await running.exit;
      expect(exit.signal ?? exit.code).toBeTruthy();
      expect(await eventually(() => userProcesses(user.name, marker).length === 0, 10_000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  });

  it('a connection lost mid-command ends it with "lost" (not a clean exit), and the runner refuses further work', async () => {
    const lonely = await openRunner();
    const marker = `sleep 28${randomBytes(1)[0]! % 10}.${process.pid}`;
    const running = lonely.start(['/bin/sh', '-c', marker]);
    expect(await eventually(() => userProcesses(user.name, marker).length > 0, 10_000)).toBe(true);
    // every session of this sshd goes: the runners of the tests above are closed already
    node.dropSessions();
    const exit = await running.exit;
    expect(exit.code).toBeNull();
    expect(exit.lost?.message).toMatch(/^node controller, step "sh": the SSH connection (was closed by the remote side|failed: .*) before the command finished$/);
    await expect(lonely.makeTempDir('rg-ssh-it-')).rejects.toThrow(/connection/);
    await lonely.close();
    // the orphaned command is ours: stop it by its pid
    for (const line of userProcesses(user.name, marker)) process.kill(Number(line.split(' ')[0]), 'SIGTERM');
  });

  describe.skipIf(!DEV_CLOUD_ENABLED || !TEMPEST)('rally-gate verify --on-controller against the dev cloud', () => {
    const prefix = `rgverify-ssh-${randomBytes(3).toString('hex')}`;
    let cloud: OpenStackCloud;
    let admin: OpenStackSession;
    beforeAll(() => {
      cloud = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: devCloudEnv }));
      admin = cloud.admin();
    });
    afterAll(async () => {
      await cloud?.close();
    });

    async function leftovers(): Promise<string[]> {
      const names = [
        ...(await image.listImages(admin)).map((i) => i.name ?? ''),
        ...(await compute.listFlavors(admin, { query: { is_public: 'None' } })).map((f) => f.name),
        ...(await network.listNetworks(admin)).map((n) => n.name),
      ];
      return names.filter((name) => name.startsWith(prefix));
    }

    function statuses(dir: string): Record<string, string> {
      const result = JSON.parse(readFileSync(join(dir, 'verify', 'results.json'), 'utf8')) as VerificationResult;
      return Object.fromEntries(result.tests.map((t) => [t.id, t.status]));
    }

    it('identity tests on the controller give the statuses of a local run', { timeout: 200_000 }, async () => {
      const settings = join(root, 'identity.yaml');
      writeFileSync(settings, ["pattern: '^tempest\\.api\\.identity\\.v3\\.test_(tokens|catalog)\\.'", 'concurrency: 2', `resource_prefix: ${prefix}`, ''].join('\n'));
      const args = (out: string) => ['verify', '--os-cloud', 'dev-cloud', '--settings', settings, '--out', join(root, out), '--no-progress'];
      // both at once: the cloud and tempest's startup dominate, not the tests
      const [local, remote] = await Promise.all([cli(args('local')), cli([...args('remote'), '--on-controller', deploymentFile])]);
      expect(local.code, local.stdout + local.stderr).toBe(0);
      expect(remote.code, remote.stdout + remote.stderr).toBe(0);
      expect(remote.stderr).toBe('');
      expect(remote.stdout).toContain(`(ssh ${user.name}@127.0.0.2:${node.port} (controller)), workspace /tmp/rally-gate-verify-`);
      const here = statuses(join(root, 'local'));
      const there = statuses(join(root, 'remote'));
      expect(Object.keys(there).length).toBeGreaterThanOrEqual(4);
      expect(Object.values(there)).toContain('success');
      expect(there).toEqual(here);
      const remoteDir = join(root, 'remote', 'verify');
      expect(readFileSync(join(remoteDir, 'subunit.bin'))[0]).toBe(0xb3);
      expect(readFileSync(join(remoteDir, 'tempest.conf'), 'utf8')).toContain('admin_password = ***');
      // the workspace (the real tempest.conf) and the pid files are gone from the node
      const workspace = /workspace (\/tmp\/rally-gate-verify-\S+)/.exec(remote.stdout)![1]!;
      expect(existsSync(workspace)).toBe(false);
      expect(await leftovers()).toEqual([]);
    });

    it('"where: controller" without --on-controller is an input error', async () => {
      const settings = join(root, 'where.yaml');
      writeFileSync(settings, 'verify:\n  set: identity\n  where: controller\n');
      const run = await cli(['verify', '--os-cloud', 'dev-cloud', '--settings', settings, '--out', join(root, 'where'), '--no-progress']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--on-controller FILE');
    });

    /**
     * The built CLI over the dev cloud's clouds.yaml with `env` on top; `interruptWhen` is polled
     * every 250 ms and SIGINT is sent the first time it holds.
     */
    function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; interruptWhen?: () => boolean } = {}): Promise<CliRun & { interrupted: boolean }> {
      return new Promise((done, fail) => {
        const child = spawn(process.execPath, [join(repoRoot, 'bin/rally-gate.js'), ...args], { cwd: repoRoot, env: { ...process.env, ...devCloudEnv, NO_COLOR: '1', ...options.env } });
        let stdout = '';
        let stderr = '';
        let interrupted = false;
        const poll = setInterval(() => {
          if (options.interruptWhen?.()) {
            clearInterval(poll);
            interrupted = true;
            child.kill('SIGINT');
          }
        }, 250);
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', fail);
        child.on('close', (code) => {
          clearInterval(poll);
          done({ code, stdout, stderr, interrupted });
        });
      });
    }

    it('Ctrl-C stops the remote tempest and its workers, and the resources are deleted', { timeout: 150_000 }, async () => {
      const settings = join(root, 'prefix.yaml');
      writeFileSync(settings, `resource_prefix: ${prefix}\n`);
      // interrupted once the node runs stestr's test workers, so that there is something to stop
      const run = await runCli(
        ['verify', '--os-cloud', 'dev-cloud', '--set', 'identity', '--concurrency', '2', '--settings', settings, '--out', join(root, 'interrupted'), '--no-progress', '--on-controller', deploymentFile],
        { interruptWhen: () => userProcesses(user.name, 'stestr.subunit_runner').length > 0 },
      );
      expect(run.interrupted, run.stdout + run.stderr).toBe(true);
      expect(run.code, run.stdout + run.stderr).toBe(130);
      expect(run.stderr).toContain('SIGINT: stopping tempest');
      expect(run.stdout).toMatch(new RegExp(`deleted image ${prefix}-image-`));
      // tempest, stestr and its workers ran as the login user: none of them is left
      expect(userProcesses(user.name, 'tempest|stestr|subunit')).toEqual([]);
      expect(await leftovers()).toEqual([]);
      const workspace = /workspace (\/tmp\/rally-gate-verify-\S+)/.exec(run.stdout)![1]!;
      expect(existsSync(workspace)).toBe(false);
    });
    it('rally-gate run --deployment with verify: {where: controller}: DevStack (fixture) deployed, then Tempest on the controller', { timeout: 180_000 }, async () => {
      // the DevStack-shaped fixture of deploy.test.ts, cloned by file URL; its stack.sh points the "deployed" cloud at the dev cloud
      const repo = join(root, 'devstack-src');
      cpSync(join(repoRoot, 'test/fixtures/devstack'), repo, { recursive: true });
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' });
      git('init', '-q', '-b', 'master');
      git('add', '.');
      git('-c', 'user.name=rally-gate test', '-c', 'user.email=test@rally-gate.invalid', 'commit', '-q', '-m', 'fixture devstack');
      execFileSync('chmod', ['-R', 'a+rX', repo]);
      const base = join(root, 'gate-node');
      mkdirSync(base, { recursive: true });
      chmodSync(base, 0o777);
      const deployment = join(root, 'gate-deployment.yaml');
      writeFileSync(
        deployment,
        [
          ...readFileSync(deploymentFile, 'utf8').split('\n').filter((line) => !line.startsWith('devstack:') && !line.includes('repo: https://')),
          `  dest: ${join(base, 'checkout', 'devstack')}`,
          'devstack:',
          `  repo: file://${repo}`,
          `  stack_user: ${STACK_USER}`,
          '  stack_timeout: 120',
          '  min_free_disk_gb: 0',
          'vars:',
          '  devstack_localrc:',
          `    ADMIN_PASSWORD: adminpw-${process.pid}-Vq7`,
          `    LOGFILE: ${base}/logs/devstacklog.txt`,
          `    CLOUDS_YAML: ${base}/etc/openstack/clouds.yaml`,
          `    FIXTURE_CLOUDS_FROM: ${join(DEV_CLOUD_STATE_DIR, 'clouds.yaml')}`,
          '',
        ]
          .filter((line) => line !== '')
          .join('\n') + '\n',
      );
      const task = join(root, 'dummy.yaml');
      writeFileSync(task, ['---', 'Dummy.dummy:', '  - args: {sleep: 0.001}', '    runner: {type: constant, times: 5, concurrency: 1}', ''].join('\n'));
      const gate = join(root, 'gate.yaml');
      writeFileSync(
        gate,
        ['version: 1', `tasks: [${JSON.stringify(task)}]`, 'verify:', "  pattern: '^tempest\\.api\\.identity\\.v3\\.test_tokens\\.'", '  create_resources: false', '  where: controller', ''].join('\n'),
      );
      const out = join(root, 'gate-out');
      // no clouds.yaml and no OS_*: the cloud is the one the deployment returned
      const noCloud = { OS_CLOUD: '', OS_AUTH_URL: '', OS_CLIENT_CONFIG_FILE: '/nonexistent' };
      const withoutDeployment = await runCli(['run', '--settings', gate, '--out', join(root, 'gate-no-deployment'), '--no-progress'], { env: noCloud });
      expect(withoutDeployment.code).toBe(2);
      expect(withoutDeployment.stderr).toContain('"where: controller" runs Tempest on the deployment\'s controller over SSH: give --deployment FILE');

      const run = await runCli(['run', '--settings', gate, '--deployment', deployment, '--out', out, '--no-progress'], { env: noCloud });
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.stderr).toContain('DevStack deployed');
      expect(run.stderr).toContain(`rally-gate: tempest: tempest 33.0.0 (ssh ${user.name}@127.0.0.2:${node.port} (controller))`);
      expect(run.stderr).toMatch(/tempest passed: 3 tests, 3 passed/);
      const result = JSON.parse(readFileSync(join(out, 'verify', 'results.json'), 'utf8')) as VerificationResult;
      expect(result.tests.map((t) => t.status)).toEqual(['success', 'success', 'success']);
    });
  });
});
