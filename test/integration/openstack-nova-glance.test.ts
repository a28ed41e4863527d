/**
 * The compute and image slice against the real dev cloud (scripts/dev-cloud up), through the CLI
 * as a gate job runs it: Glance scenarios and the images context, Nova server/keypair/flavor/server
 * group scenarios and the flavors, keypair and servers contexts, with every SLA passing and Rally's
 * atomic action names; then an admin listing shows nothing named after the run's workloads (servers,
 * images, keypairs of the run's users are gone with their projects, flavors, server groups,
 * aggregates). Ctrl-C while servers boot still deletes them.
 *
 * Skipped unless RALLY_GATE_DEV_CLOUD=1. Needs the build (bin/rally-gate.js).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLOUD_ENABLED, cli, devCloudEnv } from '../support/dev-cloud.js';
import { loadCloudsYaml } from '../../src/cloud/index.js';
import { OpenStackCloud, compute, image, type OpenStackSession } from '../../src/openstack/index.js';
import { nameMatchesRally } from '../../src/plugins/openstack/names.js';

const ENABLED = DEV_CLOUD_ENABLED;

interface AtomicAction {
  name: string;
  children: AtomicAction[];
}

interface WorkloadResult {
  uuid: string;
  data: Array<{ atomic_actions: AtomicAction[]; error: unknown[] }>;
  contexts_results: Array<{ plugin_name: string; setup: { error: unknown }; cleanup: { error: unknown } }>;
}

function workloads(outDir: string): WorkloadResult[] {
  const report = JSON.parse(readFileSync(join(outDir, 'task.json'), 'utf8')) as { tasks: Array<{ subtasks: Array<{ workloads: WorkloadResult[] }> }> };
  return report.tasks.flatMap((t) => t.subtasks.flatMap((s) => s.workloads));
}

const names = (actions: AtomicAction[]): string[] => actions.map((a) => a.name);

describe.skipIf(!ENABLED)('Glance and Nova scenarios and contexts against the dev cloud', () => {
  let cloud: OpenStackCloud;
  let admin: OpenStackSession;
  let dir: string;
  let imageFile: string;

  /** Anything named after `ownerId` that still exists (servers and images of every project, flavors, server groups, aggregates). */
  async function leftovers(ownerId: string): Promise<string[]> {
    const [servers, images, flavors, groups, aggregates] = await Promise.all([
      compute.listServers(admin, { query: { all_tenants: 1 } }),
      image.listImages(admin),
      compute.listFlavors(admin, { query: { is_public: 'None' } }),
      compute.listServerGroups(admin, { query: { all_projects: 'True' } }),
      admin.request<{ aggregates: Array<{ name: string }> }>('compute', 'GET', '/os-aggregates').then((r) => r.body.aggregates),
    ]);
    return [...servers, ...images, ...flavors, ...groups, ...aggregates]
      .map((r) => r.name ?? '')
      .filter((name) => nameMatchesRally(name, { ownerId, exact: false }) || name === 'rg-b-ram64');
  }

  beforeAll(async () => {
    cloud = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: devCloudEnv }));
    admin = cloud.admin();
    await admin.token();
    dir = mkdtempSync(join(tmpdir(), 'rally-gate-nova-glance-'));
    imageFile = join(dir, 'tiny.img');
    writeFileSync(imageFile, Buffer.alloc(64 * 1024));
  });

  afterAll(async () => {
    await cloud?.close();
  });

  async function runTask(name: string, yaml: string): Promise<WorkloadResult[]> {
    const task = join(dir, `${name}.yaml`);
    writeFileSync(task, yaml);
    const out = join(dir, `${name}-out`);
    const run = await cli(['task', 'start', task, '--os-cloud', 'dev-cloud', '--out', out, '--no-progress']);
    expect(run.stderr + run.stdout).toContain('all SLA criteria passed');
    expect(run.code).toBe(0);
    const results = workloads(out);
    for (const workload of results) {
      for (const context of workload.contexts_results) expect([context.plugin_name, context.setup.error, context.cleanup.error]).toEqual([context.plugin_name, null, null]);
      expect(await leftovers(workload.uuid)).toEqual([]);
    }
    return results;
  }

  it('Glance: create/list/get/update/deactivate/download/delete and the images context', async () => {
    const results = await runTask(
      'glance',
      `---
GlanceImages.create_and_list_image:
  - args: {image_location: "${imageFile}", container_format: bare, disk_format: raw}
    runner: {type: constant, times: 2, concurrency: 2}
    sla: {failure_rate: {max: 0}}
GlanceImages.create_and_update_image:
  - args: {image_location: "${imageFile}", container_format: bare, disk_format: qcow2, create_properties: {custom_tag: x}, remove_props: [custom_tag], update_min_ram: 128}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
GlanceImages.create_and_deactivate_image:
  - args: {image_location: "${imageFile}", container_format: bare, disk_format: qcow2}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
GlanceImages.create_and_download_image:
  - args: {image_location: "${imageFile}", container_format: bare, disk_format: qcow2}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
GlanceImages.list_images:
  - runner: {type: constant, times: 2, concurrency: 2}
    context:
      users: {tenants: 2, users_per_tenant: 1}
      images: {image_url: "${imageFile}", disk_format: qcow2, container_format: bare, images_per_tenant: 2}
    sla: {failure_rate: {max: 0}}
`,
    );
    const create = results[0]!.data[0]!.atomic_actions;
    expect(names(create)).toEqual(['glance_v2.create_image', 'glance_v2.list_images']);
    expect(names(create[0]!.children)).toContain('glance_v2.upload_data');
    expect(names(create[0]!.children)).toContain('glance_v2.get_image');
    expect(names(results[1]!.data[0]!.atomic_actions)).toEqual(['glance_v2.create_image', 'glance_v2.update_image']);
    expect(names(results[2]!.data[0]!.atomic_actions)).toEqual(['glance_v2.create_image', 'glance_v2.deactivate_image']);
    expect(names(results[3]!.data[0]!.atomic_actions)).toEqual(['glance_v2.create_image', 'glance_v2.download_image']);
    expect(results[4]!.contexts_results.map((c) => c.plugin_name)).toEqual(['users@openstack', 'images@openstack']);
  }, 300_000);

  it('Nova: servers, keypairs, flavors, server groups and the flavors/keypair/servers contexts', async () => {
    const results = await runTask(
      'nova',
      `---
NovaServers.boot_and_delete_server:
  - args: {flavor: {name: "^rg-b-ram64$"}, image: {name: "^cirros.*-disk$"}}
    runner: {type: constant, times: 2, concurrency: 2}
    context: {users: {tenants: 1, users_per_tenant: 1}, flavors: [{name: "rg-b-ram64", ram: 64, disk: 1}], keypair: {}}
    sla: {failure_rate: {max: 0}}
NovaServers.list_servers:
  - args: {detailed: true}
    runner: {type: constant, times: 2, concurrency: 2}
    context: {users: {tenants: 1, users_per_tenant: 1}, servers: {flavor: {name: m1.tiny}, image: {name: "^cirros.*-disk$"}, servers_per_tenant: 2}}
    sla: {failure_rate: {max: 0}}
NovaServers.boot_server:
  - args: {flavor: {name: m1.tiny}, image: {name: "^cirros.*-disk$"}}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
NovaKeypair.create_and_list_keypairs:
  - runner: {type: constant, times: 2, concurrency: 2}
    sla: {failure_rate: {max: 0}}
NovaFlavors.create_and_list_flavor_access:
  - args: {ram: 64, vcpus: 1, disk: 1}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
NovaFlavors.create_flavor:
  - args: {ram: 64, vcpus: 1, disk: 1}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
NovaServerGroups.create_and_list_server_groups:
  - args: {policies: [affinity]}
    runner: {type: constant, times: 2, concurrency: 2}
    sla: {failure_rate: {max: 0}}
NovaAggregates.create_and_list_aggregates:
  - args: {availability_zone: nova}
    runner: {type: constant, times: 1, concurrency: 1}
    sla: {failure_rate: {max: 0}}
`,
    );
    expect(names(results[0]!.data[0]!.atomic_actions)).toEqual(['nova.boot_server', 'nova.delete_server']);
    expect(results[0]!.contexts_results.map((c) => c.plugin_name)).toEqual(['users@openstack', 'keypair@openstack', 'flavors@openstack', 'cleanup@openstack']);
    expect(names(results[1]!.data[0]!.atomic_actions)).toEqual(['nova.list_servers']);
    expect(names(results[2]!.data[0]!.atomic_actions)).toEqual(['nova.boot_server']);
    expect(names(results[3]!.data[0]!.atomic_actions)).toEqual(['nova.create_keypair', 'nova.list_keypairs']);
    expect(names(results[4]!.data[0]!.atomic_actions)).toEqual(['nova.create_flavor', 'nova.list_flavor_access']);
    expect(names(results[6]!.data[0]!.atomic_actions)).toEqual(['nova.create_server_group', 'nova.list_server_groups']);
    expect(names(results[7]!.data[0]!.atomic_actions)).toEqual(['nova.create_aggregate', 'nova.list_aggregates']);
  }, 600_000);

  it('Ctrl-C while servers boot: the booted servers are deleted anyway', async () => {
    const task = join(dir, 'interrupt.yaml');
    writeFileSync(
      task,
      `---
NovaServers.boot_server:
  - args: {flavor: {name: m1.tiny}, image: {name: "^cirros.*-disk$"}}
    runner: {type: constant, times: 50, concurrency: 2}
`,
    );
    const out = join(dir, 'interrupt-out');
    const run = await cli(['task', 'start', task, '--os-cloud', 'dev-cloud', '--out', out, '--no-progress'], /started/, 6000);
    expect(run.code).toBe(130);
    const [workload] = workloads(out);
    expect(workload!.data.length).toBeLessThan(50);
    expect(await leftovers(workload!.uuid)).toEqual([]);
  }, 300_000);
});
