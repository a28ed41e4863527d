/**
 * The cloud a task runs against: resolved only when the task has OpenStack plugins (or the user
 * named a cloud), so Dummy and HTTP tasks need no credentials at all.
 */
import { describeCredential, resolveCredential, type CloudCredential } from '../cloud/index.js';
import type { ContextPlugin } from '../engine/context.js';
import type { ScenarioPlugin } from '../engine/scenario.js';
import { OpenStackCloud } from '../openstack/index.js';
import { findPlugin } from '../plugins/registry.js';
import type { OpenStackPlatform } from '../plugins/openstack/platform.js';
import { workloadScenario, type TaskConfig } from '../task/types.js';

export const cloudOptions = {
  'os-cloud': { type: 'string' },
  'os-region-name': { type: 'string' },
  'env-spec': { type: 'string' },
} as const;

export interface CloudOptionValues {
  'os-cloud'?: string;
  'os-region-name'?: string;
  'env-spec'?: string;
}

/** The platforms a task's scenarios and contexts belong to ("default", "openstack", ...). */
export function taskPlatforms(task: TaskConfig): Set<string> {
  const platforms = new Set<string>();
  for (const subtask of task.subtasks) {
    for (const workload of subtask.workloads) {
      const scenario = findPlugin<ScenarioPlugin>('scenario', workloadScenario(workload).name);
      if (scenario) platforms.add(scenario.platform);
      for (const name of Object.keys(workload.contexts)) {
        const context = findPlugin<ContextPlugin>('context', name);
        if (context) platforms.add(context.platform);
      }
    }
  }
  return platforms;
}

export interface OpenedEnvironment {
  /** runWorkload's environment: platform name -> platform data */
  environment: Record<string, unknown>;
  /** shown in reports as the env name (no secrets) */
  envName: string;
  close(): Promise<void>;
}

/** The credential the cloud options name (else OS_CLOUD, else OS_* variables); InputError when there is none. */
export function credentialFromOptions(options: CloudOptionValues): CloudCredential {
  return resolveCredential({
    ...(options['env-spec'] !== undefined ? { specFile: options['env-spec'] } : {}),
    ...(options['os-cloud'] !== undefined ? { cloud: options['os-cloud'] } : {}),
    ...(options['os-region-name'] !== undefined ? { regionName: options['os-region-name'] } : {}),
  });
}

/**
 * Opens the cloud when the task needs one; InputError (exit 2) when credentials are missing or bad.
 * `given`: a credential already in hand (e.g. the cloud a deployment just made) instead of options.
 */
export function openEnvironment(task: TaskConfig, options: CloudOptionValues, given?: CloudCredential): OpenedEnvironment {
  const named = given !== undefined || options['os-cloud'] !== undefined || options['env-spec'] !== undefined;
  if (!named && !taskPlatforms(task).has('openstack')) {
    return { environment: {}, envName: 'none', close: async () => undefined };
  }
  const credential = given ?? credentialFromOptions(options);
  const cloud = new OpenStackCloud(credential, { userAgent: 'rally-gate' });
  cloud.prefetchAdminToken();
  const openstack: OpenStackPlatform = { cloud };
  return { environment: { openstack }, envName: describeCredential(credential), close: () => cloud.close() };
}
