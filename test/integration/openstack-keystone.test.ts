/**
 * The identity slice against the real dev cloud (scripts/dev-cloud up), through the CLI as a gate
 * job runs it: a small Keystone task passes with Rally's atomic action names; Ctrl-C mid-run still
 * removes the users context's projects and users and what the scenario made; a users context whose
 * setup fails half-way (user creation refused) deletes the projects it did create. After each run an admin listing shows
 * nothing named after the run's workloads.
 *
 * Skipped unless RALLY_GATE_DEV_CLOUD=1. Needs the build (bin/rally-gate.js).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLOUD_ENABLED, cli, devCloudEnv } from '../support/dev-cloud.js';
import { loadCloudsYaml } from '../../src/cloud/index.js';
import { OpenStackCloud, identity, type OpenStackSession } from '../../src/openstack/index.js';
import { ContextManager } from '../../src/engine/context.js';
import '../../src/plugins/index.js';
import { nameMatchesRally } from '../../src/plugins/openstack/names.js';

const ENABLED = DEV_CLOUD_ENABLED;

function writeTask(dir: string, yaml: string): string {
  const file = join(dir, 'task.yaml');
  writeFileSync(file, yaml);
  return file;
}

interface WorkloadResult {
  uuid: string;
  data: Array<{ atomic_actions: Array<{ name: string; children: Array<{ name: string }> }>; error: unknown[] }>;
  contexts_results: Array<{ plugin_name: string; setup: { error: unknown }; cleanup: { error: unknown } }>;
  sla_results: { sla: Array<{ success: boolean }> };
}

function workloads(outDir: string): WorkloadResult[] {
  const report = JSON.parse(readFileSync(join(outDir, 'task.json'), 'utf8')) as { tasks: Array<{ subtasks: Array<{ workloads: WorkloadResult[] }> }> };
  return report.tasks.flatMap((t) => t.subtasks.flatMap((s) => s.workloads));
}

describe.skipIf(!ENABLED)('Keystone scenarios and the users context against the dev cloud', () => {
  let cloud: OpenStackCloud;
  let admin: OpenStackSession;

  /** Projects, users and roles named after `ownerId` (any Rally kind) that still exist. */
  async function leftovers(ownerId: string): Promise<string[]> {
    const [projects, users, roles] = await Promise.all([identity.listProjects(admin), identity.listUsers(admin), identity.listRoles(admin)]);
    return [...projects, ...users, ...roles].map((r) => r.name).filter((name) => nameMatchesRally(name, { ownerId, exact: false }));
  }

  beforeAll(async () => {
    cloud = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: devCloudEnv }));
    admin = cloud.admin();
    await admin.token();
  });

  afterAll(async () => {
    await cloud?.close();
  });

  it('runs a small Keystone task: SLAs pass, Rally atomic names, nothing left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rally-gate-ks-'));
    const task = writeTask(
      dir,
      `---
KeystoneBasic.create_delete_user:
  - runner: {type: constant, times: 4, concurrency: 2}
    sla: {failure_rate: {max: 0}}
KeystoneBasic.create_and_list_tenants:
  - runner: {type: constant, times: 3, concurrency: 3}
    sla: {failure_rate: {max: 0}}
KeystoneBasic.add_and_remove_user_role:
  - runner: {type: constant, times: 4, concurrency: 2}
    context: {users: {tenants: 2, users_per_tenant: 2, user_choice_method: round_robin}}
    sla: {failure_rate: {max: 0}}
KeystoneBasic.create_and_list_ec2credentials:
  - runner: {type: constant, times: 2, concurrency: 2}
    sla: {failure_rate: {max: 0}}
Authenticate.keystone:
  - runner: {type: constant, times: 4, concurrency: 2}
    sla: {failure_rate: {max: 0}}
`,
    );
    const out = join(dir, 'out');
    const run = await cli(['task', 'start', task, '--os-cloud', 'dev-cloud', '--out', out, '--no-progress']);
    expect(run.stderr + run.stdout).toContain('all SLA criteria passed');
    expect(run.code).toBe(0);
    const results = workloads(out);
    expect(results).toHaveLength(5);
    expect(results[0]!.data[0]!.atomic_actions.map((a) => a.name)).toEqual(['keystone_v3.create_user', 'keystone_v3.delete_user']);
    expect(results[1]!.data[0]!.atomic_actions.map((a) => a.name)).toEqual(['keystone_v3.create_project', 'keystone_v3.list_projects']);
    expect(results[2]!.data[0]!.atomic_actions.map((a) => a.name)).toEqual(['keystone_v3.create_role', 'keystone_v3.add_role', 'keystone_v3.revoke_role']);
    expect(results[3]!.data[0]!.atomic_actions.map((a) => a.name)).toEqual(['keystone_v3.create_ec2creds', 'keystone_v3.list_ec2creds']);
    expect(results[4]!.data[0]!.atomic_actions.map((a) => a.name)).toEqual(['authenticate.keystone']);
    // Rally's contexts: users everywhere, admin_cleanup/cleanup as the scenarios ask
    expect(results[0]!.contexts_results.map((c) => c.plugin_name)).toEqual(['users@openstack', 'admin_cleanup@openstack']);
    expect(results[3]!.contexts_results.map((c) => c.plugin_name)).toEqual(['users@openstack', 'cleanup@openstack']);
    for (const workload of results) {
      for (const context of workload.contexts_results) expect(context.cleanup.error).toBeNull();
      // create_and_list_tenants leaves its projects to admin_cleanup: gone too
      expect(await leftovers(workload.uuid)).toEqual([]);
    }
  }, 180_000);

  it('runs Authenticate.validate_* with the roles, quotas and api_versions contexts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rally-gate-ks-val-'));
    const task = writeTask(
      dir,
      `---
Authenticate.validate_glance:
  - args: {repetitions: 2}
    runner: {type: constant, times: 2, concurrency: 1}
    sla: {failure_rate: {max: 0}}
Authenticate.validate_nova:
  - args: {repetitions: 2}
    runner: {type: constant, times: 2, concurrency: 1}
    context: {users: {tenants: 1, users_per_tenant: 1}, roles: ["reader"], quotas: {nova: {instances: 5}, cinder: {volumes: 3}, neutron: {network: 4}}, api_versions: {nova: {version: "2.52"}}}
    sla: {failure_rate: {max: 0}}
`,
    );
    const out = join(dir, 'out');
    const run = await cli(['task', 'start', task, '--os-cloud', 'dev-cloud', '--out', out, '--no-progress']);
    expect(run.code).toBe(0);
    const results = workloads(out);
    expect(results[0]!.data[0]!.atomic_actions.map((a) => a.name)).toEqual(['authenticate.validate_glance']);
    expect(results[1]!.contexts_results.map((c) => [c.plugin_name, c.setup.error, c.cleanup.error])).toEqual([
      ['users@openstack', null, null],
      ['api_versions@openstack', null, null],
      ['quotas@openstack', null, null],
      ['roles@openstack', null, null],
    ]);
    for (const workload of results) expect(await leftovers(workload.uuid)).toEqual([]);
  }, 120_000);

  it('cleans up after Ctrl-C mid-run: the users context projects/users and the users made so far', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rally-gate-ks-int-'));
    const task = writeTask(
      dir,
      `---
KeystoneBasic.create_user:
  - runner: {type: constant, times: 500, concurrency: 2}
    context: {users: {tenants: 2, users_per_tenant: 2}}
`,
    );
    const out = join(dir, 'out');
    const run = await cli(['task', 'start', task, '--os-cloud', 'dev-cloud', '--out', out, '--no-progress'], /started/, 7000);
    expect(run.code).toBe(130);
    const [workload] = workloads(out);
    expect(workload!.data.length).toBeGreaterThan(0);
    expect(workload!.data.length).toBeLessThan(500);
    expect(workload!.contexts_results.map((c) => [c.plugin_name, c.cleanup.error])).toEqual([
      ['users@openstack', null],
      ['admin_cleanup@openstack', null],
    ]);
    expect(await leftovers(workload!.uuid)).toEqual([]);
  }, 180_000);

  it('an interrupted users setup also deletes what a cut-short request created', async () => {
    // In process: the first POST /projects reaches Keystone, but the run is stopped before its answer.
    const cut = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: devCloudEnv }));
    const cutAdmin = cut.admin();
    const realRequest = cutAdmin.request.bind(cutAdmin);
    const stop = new AbortController();
    let unanswered: Promise<unknown> | undefined;
    cutAdmin.request = ((service, method, path, options) => {
      if (method === 'POST' && path === '/projects' && !unanswered) {
        unanswered = realRequest(service, method, path, { ...options, signal: undefined });
        stop.abort(new Error('stopped by the user'));
        return Promise.reject(stop.signal.reason);
      }
      return realRequest(service, method, path, options);
    }) as typeof cutAdmin.request;
    const workloadUuid = randomUUID();
    const manager = new ContextManager(
      { users: { tenants: 1, users_per_tenant: 1 } },
      {},
      { taskUuid: randomUUID(), workloadUuid, scenarioName: 'Authenticate.keystone', subtaskIndex: 0, position: 0, environment: { openstack: { cloud: cut } } },
      stop.signal,
    );
    await expect(manager.setup()).rejects.toThrow(/stopped/);
    await unanswered; // Keystone finished creating it meanwhile
    await manager.cleanup();
    expect(manager.results()[0]!.cleanup.error).toBeNull();
    expect(await leftovers(workloadUuid)).toEqual([]);
    await cut.close();
  }, 120_000);

  it('a users context failing half-way deletes the projects it made', async () => {
    // In process, on the real cloud: the admin's POST /users fails (injected) after the projects exist.
    const failing = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: devCloudEnv }));
    const failingAdmin = failing.admin();
    const realRequest = failingAdmin.request.bind(failingAdmin);
    let projectsCreated = 0;
    failingAdmin.request = ((service, method, path, options) => {
      if (method === 'POST' && path === '/users') return Promise.reject(new Error('injected failure: user creation'));
      if (method === 'POST' && path === '/projects') projectsCreated++;
      return realRequest(service, method, path, options);
    }) as typeof failingAdmin.request;
    const workloadUuid = randomUUID();
    const manager = new ContextManager(
      { users: { tenants: 2, users_per_tenant: 1 } },
      {},
      { taskUuid: randomUUID(), workloadUuid, scenarioName: 'Authenticate.keystone', subtaskIndex: 0, position: 0, environment: { openstack: { cloud: failing } } },
      new AbortController().signal,
    );
    await expect(manager.setup()).rejects.toThrow(/injected failure/);
    expect(projectsCreated).toBe(2);
    await manager.cleanup();
    const [users] = manager.results();
    expect(users!.setup.error).not.toBeNull();
    expect(users!.cleanup.error).toBeNull();
    expect(await leftovers(workloadUuid)).toEqual([]);
    await failing.close();
  }, 120_000);
});
