/**
 * `rally-gate cleanup` against the real dev cloud: a simulated killed run (c_rally_ and s_rally_
 * projects/users of one owner, made directly) is swept; look-alike names, and Rally names of
 * another owner when --task is given, are left alone; --dry-run deletes nothing.
 *
 * Skipped unless RALLY_GATE_DEV_CLOUD=1. Needs the build (bin/rally-gate.js).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCloudsYaml } from '../../src/cloud/index.js';
import { OpenStackCloud, identity, isHttpStatus, type OpenStackSession } from '../../src/openstack/index.js';
import { ownerPart, randomNameFor } from '../../src/plugins/openstack/names.js';

const ENABLED = process.env.RALLY_GATE_DEV_CLOUD === '1';
const STATE_DIR = process.env.RALLY_GATE_DEV_CLOUD_DIR ?? '/var/lib/rally-gate/dev-cloud';
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/rally-gate.js');
const cloudEnv = { OS_CLIENT_CONFIG_FILE: join(STATE_DIR, 'clouds.yaml') };

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...cloudEnv, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe.skipIf(!ENABLED)('rally-gate cleanup against the dev cloud', () => {
  let cloud: OpenStackCloud;
  let admin: OpenStackSession;
  const killedOwner = randomUUID();
  const otherOwner = randomUUID();
  const made: Array<{ kind: 'project' | 'user'; id: string; name: string }> = [];

  async function make(kind: 'project' | 'user', name: string): Promise<void> {
    const created = kind === 'project' ? await identity.createProject(admin, { name, domain_id: 'default' }) : await identity.createUser(admin, { name, domain_id: 'default' });
    made.push({ kind, id: created.id, name });
  }

  async function exists(entry: { kind: 'project' | 'user'; id: string }): Promise<boolean> {
    try {
      await (entry.kind === 'project' ? identity.getProject(admin, entry.id) : identity.getUser(admin, entry.id));
      return true;
    } catch (error) {
      if (isHttpStatus(error, 404)) return false;
      throw error;
    }
  }

  beforeAll(async () => {
    cloud = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: cloudEnv }));
    admin = cloud.admin();
    // what a SIGKILLed run leaves: the users context's project and user, a scenario's user
    await make('project', randomNameFor(killedOwner, 'context'));
    await make('user', randomNameFor(killedOwner, 'context'));
    await make('user', randomNameFor(killedOwner, 'scenario'));
    // look-alikes that must survive
    await make('project', `c_rally_${ownerPart(killedOwner)}_short`);
    await make('user', `x_rally_${ownerPart(killedOwner)}_abcdefgh`);
    await make('project', randomNameFor(otherOwner, 'context'));
  });

  afterAll(async () => {
    for (const entry of made) {
      try {
        await (entry.kind === 'project' ? identity.deleteProject(admin, entry.id) : identity.deleteUser(admin, entry.id));
      } catch (error) {
        if (!isHttpStatus(error, 404)) throw error;
      }
    }
    await cloud?.close();
  });

  it('--dry-run lists the killed run\'s resources and deletes nothing', async () => {
    const run = await cli(['cleanup', '--os-cloud', 'dev-cloud', '--task', killedOwner, '--dry-run']);
    expect(run.code).toBe(0);
    for (const entry of made.slice(0, 3)) expect(run.stdout).toContain(`would delete keystone.${entry.kind} ${entry.id} ${entry.name}`);
    for (const entry of made.slice(3)) expect(run.stdout).not.toContain(entry.id);
    for (const entry of made) expect(await exists(entry)).toBe(true);
  }, 60_000);

  it('--task deletes that owner\'s Rally-named resources and nothing else', async () => {
    const run = await cli(['cleanup', '--os-cloud', 'dev-cloud', '--task', killedOwner]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 resource(s) deleted, 0 failure(s)');
    // users before projects (dependents first)
    expect(run.stdout.indexOf('deleting keystone.user')).toBeLessThan(run.stdout.indexOf('deleting keystone.project'));
    expect(await Promise.all(made.map(exists))).toEqual([false, false, false, true, true, true]);
  }, 60_000);

  it('refuses unknown resource names and bad owner ids (exit 2)', async () => {
    expect((await cli(['cleanup', '--os-cloud', 'dev-cloud', '--only', 'keystone.nothing'])).code).toBe(2);
    expect((await cli(['cleanup', '--os-cloud', 'dev-cloud', '--task', 'not a uuid'])).code).toBe(2);
  }, 30_000);
});
