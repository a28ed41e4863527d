/**
 * The hidden cleanup contexts Rally adds through scenarios' default contexts:
 * `cleanup` (order max, user resources, listed per user/project with the users' sessions) and
 * `admin_cleanup` (order max-1, admin resources, listed with the admin's session). Both delete,
 * in cleanup, what the scenarios of this workload left: names "s_rally_<owner>_..." only; the
 * contexts delete their own "c_rally_" resources themselves.
 */
import { registerContext, type ContextRunApi } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import { cleanupResources } from './manager.js';
import { cleanupResourceNames, findCleanupResources } from './registry.js';

const schema = { type: 'array', items: { type: 'string' } };

function checkNames(config: unknown, adminRequired: boolean): Array<{ path: Array<string | number>; message: string }> {
  if (!Array.isArray(config)) return [];
  const known = cleanupResourceNames(adminRequired);
  const missing = config.filter((name): name is string => typeof name === 'string' && !known.has(name));
  return missing.length > 0 ? [{ path: [], message: `Couldn't find cleanup resource managers: ${missing.join(', ')}` }] : [];
}

async function runCleanup(api: ContextRunApi, adminRequired: boolean): Promise<void> {
  const names = Array.isArray(api.config) ? api.config.filter((n): n is string => typeof n === 'string') : [];
  const users = api.data.users ?? [];
  const admin = api.data.admin?.session;
  const report = await cleanupResources({
    managers: findCleanupResources(names, adminRequired),
    ...(admin ? { admin } : {}),
    users,
    ownerId: api.workload.workloadUuid,
    kinds: ['scenario'],
  });
  if (report.failures.length > 0) {
    throw new RallyException(`${report.failures.length} resource(s) not cleaned up: ${report.failures.join('; ')}`, 'CleanupFailure');
  }
}

export const userCleanupContext = registerContext({
  name: 'cleanup',
  platform: 'openstack',
  description: 'Context class for user resources cleanup.',
  order: Number.MAX_SAFE_INTEGER,
  hidden: true,
  schema,
  validateConfig: (config) => checkNames(config, false),
  create: () => ({
    setup() {},
    cleanup: (api) => runCleanup(api, false),
  }),
});

export const adminCleanupContext = registerContext({
  name: 'admin_cleanup',
  platform: 'openstack',
  description: 'Context class for admin resources cleanup.',
  order: Number.MAX_SAFE_INTEGER - 1,
  hidden: true,
  schema,
  validateConfig: (config) => checkNames(config, true),
  create: () => ({
    setup() {},
    cleanup: (api) => runCleanup(api, true),
  }),
});
