/**
 * The compatibility bar of the real-cloud issue: the corpus workloads for Keystone, Glance, Nova,
 * Neutron and Cinder that the dev cloud can serve run with every SLA passing, and leave nothing.
 *
 * Each corpus file is loaded as Rally loads it; a workload is runnable when it validates and every
 * plugin it names is implemented (the others are listed with the reason). Iteration counts are
 * scaled down to keep CI short (runner times <= 3, duration <= 5 s); docs/openstack.md has full runs.
 * Needs the dev cloud: RALLY_GATE_DEV_CLOUD=1 (scripts/dev-cloud up).
 */
import { existsSync, mkdtempSync } from 'node:fs';
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
  'CinderVolumes.create_and_extend_volume': "the fake volume driver cannot extend (error_extending; Rally too waits 600 s)",
};

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

  beforeAll(() => {
    process.env['OS_CLIENT_CONFIG_FILE'] = join(devCloudDir, 'clouds.yaml');
    env = openEnvironment({ version: 2, title: '', description: '', tags: [], subtasks: [] }, { 'os-cloud': 'dev-cloud' });
  });

  afterAll(async () => {
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
          const reason = blocked.get(JSON.stringify(['subtasks', s, 'workloads', p])) ?? cannotServe[scenario];
          if (reason) skipped.push(`${scenario}: ${reason}`);
          return !reason;
        });
        if (workloads.length > 0) subtasks.push({ ...subtask, workloads: workloads.map(scaleDown) });
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
    }, 1_200_000);
  }
});
