/**
 * Seek and destroy (Rally's cleanup/manager.py): list every selected manager's resources (as the
 * admin, once per project or once per user; all listings at once), keep those whose names match
 * Rally's random-name pattern of the owner, then manager by manager in Rally's order delete them
 * with retries and wait until they are gone.
 * Failures are collected, never thrown half-way, so one stuck resource does not stop the rest.
 */
import { isHttpStatus, retryTransient, type OpenStackSession, type ServiceType } from '../../../openstack/index.js';
import { nameMatchesRally, type NameKind } from '../names.js';
import type { OpenStackUser } from '../platform.js';
import { forEachConcurrently, serviceAvailable } from '../scenario-base.js';
import { createLimit, type Limit } from '../contexts/limiter.js';
import type { CleanupResourceManager, CleanupScope } from './registry.js';

/** Rally's [openstack] cleanup_threads */
const CLEANUP_THREADS = 20;
const LIST_ATTEMPTS = 3;

/** Rally's client names -> catalog service types: managers of services the cloud lacks are skipped. */
const SERVICE_TYPES: Record<string, ServiceType> = {
  keystone: 'identity',
  nova: 'compute',
  glance: 'image',
  neutron: 'network',
  cinder: 'block-storage',
};

export interface CleanupTarget {
  manager: string;
  id: string;
  name: string | undefined;
  projectId?: string;
}

export interface CleanupReport {
  /** deleted (or found already gone) */
  deleted: CleanupTarget[];
  /** matched but not deleted in dry-run mode */
  wouldDelete: CleanupTarget[];
  /** "nova.servers abc (s_rally_...): reason" */
  failures: string[];
}

export interface CleanupOptions {
  managers: CleanupResourceManager<unknown>[];
  admin?: OpenStackSession;
  users?: readonly OpenStackUser[];
  /** only names of this owner (workload uuid); any owner when absent */
  ownerId?: string;
  /** which random-name kinds are deleted: the contexts delete scenario names only, like Rally */
  kinds: readonly NameKind[];
  /** list through the admin across every project (`rally-gate cleanup`) */
  allProjects?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
  /** called before each deletion (the CLI prints it) */
  onDelete?: (target: CleanupTarget) => void;
  /** Sleep between isDeleted polls (tests may shorten); seconds. */
  sleep?: (seconds: number) => Promise<void>;
}

const defaultSleep = (seconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Rally's utils.retry (the call again at once, `attempts` times), and beyond it transient faults
 * (unreachable, 5xx) ride out a short outage with backoff: an outage must not leave resources behind.
 */
async function retry<T>(attempts: number, fn: () => Promise<T>, sleep: (seconds: number) => Promise<void>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await retryTransient(fn, { sleep: (ms) => sleep(ms / 1000) });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The scopes a manager lists in (Rally's SeekAndDestroy._publisher). */
function scopesFor(manager: CleanupResourceManager<unknown>, options: CleanupOptions): CleanupScope[] {
  const base = { allProjects: options.allProjects ?? false, ...(options.admin ? { admin: options.admin } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  const users = options.users ?? [];
  if (options.admin && (users.length === 0 || manager.performForAdminOnly || options.allProjects)) {
    return [{ ...base, session: options.admin }];
  }
  const scopes: CleanupScope[] = [];
  const visitedProjects = new Set<string>();
  for (const user of users) {
    if (manager.tenantResource && visitedProjects.has(user.projectId)) continue;
    visitedProjects.add(user.projectId);
    scopes.push({ ...base, session: user.session, user, projectId: user.projectId });
  }
  return scopes;
}

type CleanupJob = { scope: CleanupScope; resource: unknown };

/** Everything a manager lists in its scopes; a failed listing is reported, not thrown. */
async function listManager(manager: CleanupResourceManager<unknown>, options: CleanupOptions, limit: Limit, failures: string[]): Promise<CleanupJob[]> {
  const label = `${manager.service}.${manager.resource}`;
  const perScope = await Promise.all(
    scopesFor(manager, options).map((scope) =>
      limit(async (): Promise<CleanupJob[]> => {
        try {
          const serviceType = SERVICE_TYPES[manager.service];
          if (serviceType && !(await serviceAvailable(scope.session, serviceType))) return [];
          return (await retry(LIST_ATTEMPTS, () => manager.list(scope), options.sleep ?? defaultSleep)).map((resource) => ({ scope, resource }));
        } catch (error) {
          failures.push(`${label}: listing failed: ${message(error)}`);
          return [];
        }
      }),
    ),
  );
  return perScope.flat();
}

/**
 * Deletes the matching resources of every manager; returns what happened. The listings of all
 * managers go out together (they only read); deletions keep Rally's order, manager by manager,
 * so dependents go first.
 */
export async function cleanupResources(options: CleanupOptions): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: [], wouldDelete: [], failures: [] };
  const sleep = options.sleep ?? defaultSleep;
  const matches = (name: string | undefined): boolean =>
    name === undefined || nameMatchesRally(name, { kinds: options.kinds, exact: false, ...(options.ownerId !== undefined ? { ownerId: options.ownerId } : {}) });

  const listLimit = createLimit(CLEANUP_THREADS);
  const listings = await Promise.all(options.managers.map((manager) => listManager(manager, options, listLimit, report.failures)));
  for (const [index, manager] of options.managers.entries()) {
    const label = `${manager.service}.${manager.resource}`;
    const jobs = listings[index]!.filter(({ resource }) => matches(manager.name(resource)));
    await forEachConcurrently(jobs, CLEANUP_THREADS, async ({ scope, resource }) => {
      const name = manager.name(resource);
      const target: CleanupTarget = { manager: label, id: manager.id(resource), name, ...(scope.projectId ? { projectId: scope.projectId } : {}) };
      if (options.dryRun) {
        report.wouldDelete.push(target);
        return;
      }
      options.onDelete?.(target);
      const failure = await deleteOne(manager, scope, resource, sleep);
      if (failure) report.failures.push(`${label} ${target.id} (${name ?? 'no name'}): ${failure}`);
      else report.deleted.push(target);
    });
  }
  return report;
}

/** Rally's _delete_single_resource: delete with retries, then poll until gone; the reason on failure. */
async function deleteOne(
  manager: CleanupResourceManager<unknown>,
  scope: CleanupScope,
  resource: unknown,
  sleep: (seconds: number) => Promise<void>,
): Promise<string | undefined> {
  try {
    await retry(
      manager.maxAttempts ?? 3,
      async () => {
        try {
          await manager.delete(scope, resource);
        } catch (error) {
          if (!isHttpStatus(error, 404)) throw error; // already gone
        }
      },
      sleep,
    );
  } catch (error) {
    return `deletion failed, max retries exceeded: ${message(error)}`;
  }
  if (!manager.isDeleted) return undefined;
  const timeoutMs = (manager.timeoutSeconds ?? 600) * 1000;
  const started = Date.now();
  let brokenChecks = 0;
  while (Date.now() - started < timeoutMs) {
    try {
      if (await manager.isDeleted(scope, resource)) return undefined;
    } catch (error) {
      if (isHttpStatus(error, 404)) return undefined;
      if (++brokenChecks > (manager.maxAttempts ?? 3)) return `checking deletion failed: ${message(error)}`;
    }
    await sleep(manager.intervalSeconds ?? 1);
  }
  return `timeout (${timeoutMs / 1000} s) waiting for deletion`;
}
