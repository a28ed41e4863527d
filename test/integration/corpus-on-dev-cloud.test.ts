/**
 * The compatibility bar of the real-cloud issue: the corpus workloads for Keystone, Glance, Nova,
 * Neutron and Cinder that the dev cloud can serve run with every SLA passing, and leave nothing.
 *
 * Each corpus file is loaded as Rally loads it; a workload is runnable when it validates and every
 * plugin it names is implemented (the others are listed with the reason). Iteration counts are
 * scaled down to keep CI short (runner times <= 3, duration <= 5 s); docs/openstack.md has full runs.
 * Needs the dev cloud: RALLY_GATE_DEV_CLOUD=1 (scripts/dev-cloud up).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEnvironment, type OpenedEnvironment } from '../../src/cli/cloud.js';
import type { JsonObject } from '../../src/common/json.js';
import { runTask } from '../../src/pipeline/run-task.js';
import { cleanupResources } from '../../src/plugins/openstack/cleanup/manager.js';
import { findCleanupResources } from '../../src/plugins/openstack/cleanup/registry.js';
import type { OpenStackPlatform } from '../../src/plugins/openstack/platform.js';
import '../../src/plugins/index.js';
import { loadTask, validateTask } from '../../src/task/index.js';
import type { SubtaskConfig, WorkloadConfig } from '../../src/task/types.js';

const root = resolve(import.meta.dirname, '../..');
const corpus = resolve(root, '../shared/corpus/rally-jobs');
const devCloudDir = process.env['RALLY_GATE_DEV_CLOUD_DIR'] ?? '/var/lib/rally-gate/dev-cloud';
const enabled = process.env['RALLY_GATE_DEV_CLOUD'] === '1' && existsSync(corpus);

/** Corpus files of the services the dev cloud runs. */
const files = [
  'keystone__keystone.yaml',
  'glance__glance.yaml',
  'rally-openstack__glance.yaml',
  'rally-openstack__nova.yaml',
  'neutron__task-neutron.yaml',
  'rally-openstack__neutron.yaml',
  'cinder__cinder.yaml',
  'rally-openstack__cinder.yaml',
];

/** Workloads that validate and are implemented but that this cloud cannot serve, and why. */
const cannotServe: Record<string, string> = {
  'CinderVolumes.create_and_extend_volume': 'the fake volume driver cannot extend (error_extending; Rally too waits 600 s)',
  'NovaServers.resize_server': 'one compute host, and Nova does not resize to the same host: no valid host',
  'NovaServers.resize_shutoff_server': 'one compute host, and Nova does not resize to the same host: no valid host',
  'NovaServers.snapshot_server': 'the fake virt driver never uploads the snapshot image (it stays queued)',
  'NovaHypervisors.list_and_get_uptime_hypervisors': 'the fake virt driver answers 501 for the uptime',
};

/** Workloads whose arguments ask for what the dev cloud lacks, and why. */
function cannotServeArgs(scenario: string, args: unknown): string | undefined {
  const text = JSON.stringify(args ?? {});
  if (scenario.startsWith('CinderVolumes.') && /"image"/.test(text)) {
    return 'a volume from an image: the fake volume driver cannot copy images to volumes';
  }
  if (/provider:network_type/.test(text)) return "provider network types: the dev cloud's ML2 has only 'local' networks";
  return undefined;
}

/**
 * This machine has no internet: image URLs of the corpus (cirros downloads) are served from a local
 * HTTP server instead, and the dummy images Rally's gate jobs create in ~/.rally/extra exist in a
 * temporary HOME, as rally-openstack's prepare-for-rally-task role makes them.
 */
function localizeUrls<T>(value: T, localUrl: string): T {
  if (typeof value === 'string') {
    return (/^https?:\/\//.test(value) && !/^https?:\/\/(127\.|localhost)/.test(value) ? localUrl : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => localizeUrls(v, localUrl)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localizeUrls(v, localUrl)])) as T;
  }
  return value;
}

/**
 * CI has 90 minutes in all: no new file starts after this much time in this test (a run here takes
 * about 25 minutes; a hung cloud must not take the whole CI budget).
 */
const timeBudgetMs = 40 * 60_000;
const startedAt = Date.now();

/** Minimum runnable workloads per file, so a regression that silently skips them fails the test. */
const expectedAtLeast: Record<string, number> = {
  'keystone__keystone.yaml': 14,
};

function scaleDown(workload: WorkloadConfig): WorkloadConfig {
  const [type, config] = Object.entries(workload.runner)[0]!;
  const scaled: JsonObject = { ...config };
  if (typeof scaled['times'] === 'number') scaled['times'] = Math.min(scaled['times'], 3);
  if (typeof scaled['duration'] === 'number') scaled['duration'] = Math.min(scaled['duration'], 5);
  if (typeof scaled['concurrency'] === 'number' && typeof scaled['times'] === 'number') {
    scaled['concurrency'] = Math.min(scaled['concurrency'], scaled['times']);
  }
  return { ...workload, runner: { [type]: scaled } };
}

describe.skipIf(!enabled)('corpus workloads on the dev cloud', () => {
  let env: OpenedEnvironment;
  const ownerIds: string[] = [];

  let imageServer: Server;
  let imageUrl = '';

  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'rally-gate-corpus-home-'));
    mkdirSync(join(home, '.rally', 'extra'), { recursive: true });
    const image = Buffer.alloc(1024 * 1024);
    for (const name of ['dummy_image.qcow2', 'dummy_image.raw', 'fake.img', 'fake-image.img']) writeFileSync(join(home, '.rally', 'extra', name), image);
    process.env['HOME'] = home;
    imageServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(image));
    await new Promise<void>((done) => imageServer.listen(0, '127.0.0.1', done));
    imageUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/cirros-x86_64-disk.img`;
    process.env['OS_CLIENT_CONFIG_FILE'] = join(devCloudDir, 'clouds.yaml');
    env = openEnvironment({ version: 2, title: '', description: '', tags: [], subtasks: [] }, { 'os-cloud': 'dev-cloud' });
  });

  afterAll(async () => {
    imageServer?.close();
    if (!env) return;
    // Nothing of these runs may be left: an admin listing across every project finds no names of their owners.
    const cloud = (env.environment['openstack'] as OpenStackPlatform).cloud;
    const leftovers = [];
    for (const ownerId of ownerIds) {
      const report = await cleanupResources({
        managers: findCleanupResources(),
        admin: cloud.admin(),
        ownerId,
        kinds: ['scenario', 'context'],
        allProjects: true,
        dryRun: true,
      });
      leftovers.push(...report.wouldDelete.map((t) => `${t.manager} ${t.name ?? t.id}`));
    }
    await env.close();
    expect(leftovers).toEqual([]);
  });

  for (const file of files) {
    it(`${file}: every workload the cloud can serve passes its SLA`, async () => {
      if (Date.now() - startedAt > timeBudgetMs) throw new Error(`not started: the test's ${timeBudgetMs / 60_000} min budget is spent`);
      const task = await loadTask(join(corpus, file));
      const report = validateTask(task);
      const blocked = new Map<string, string>();
      for (const e of report.errors) blocked.set(JSON.stringify(e.path?.slice(0, 4)), `invalid: ${e.message}`);
      for (const u of report.unimplemented) blocked.set(JSON.stringify(u.path.slice(0, 4)), `${u.kind} ${u.name} not implemented`);

      const skipped: string[] = [];
      const subtasks: SubtaskConfig[] = [];
      task.config.subtasks.forEach((subtask, s) => {
        const workloads = subtask.workloads.filter((w, p) => {
          const scenario = Object.keys(w.scenario)[0]!;
          const reason =
            blocked.get(JSON.stringify(['subtasks', s, 'workloads', p])) ??
            cannotServe[scenario] ??
            cannotServeArgs(scenario, w.scenario[scenario]);
          if (reason) skipped.push(`${scenario}: ${reason}`);
          return !reason;
        });
        if (workloads.length > 0) subtasks.push({ ...subtask, workloads: workloads.map((w) => localizeUrls(scaleDown(w), imageUrl)) });
      });
      const runnable = subtasks.reduce((n, s) => n + s.workloads.length, 0);
      console.log(`${file}: ${runnable} runnable, ${skipped.length} not:\n  ${skipped.join('\n  ')}`);
      expect(runnable).toBeGreaterThanOrEqual(expectedAtLeast[file] ?? 1);

      const { record } = await runTask(
        { ...task, config: { ...task.config, subtasks } },
        { outDir: mkdtempSync(join(tmpdir(), 'rally-gate-corpus-')), environment: env.environment, envName: env.envName },
      );
      const failures: string[] = [];
      for (const subtask of record.subtasks) {
        for (const w of subtask.workloads) {
          ownerIds.push(w.summary.uuid);
          for (const r of w.summary.slaResults) {
            if (!r.success) failures.push(`${Object.keys(w.config.scenario)[0]}: ${r.criterion}: ${r.detail}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, 900_000);
  }
});
