/**
 * The cleanup resource managers (Rally's rally_openstack/task/cleanup/resources.py): one entry per
 * kind of resource that scenarios may leave behind, registered by the file of the service that
 * creates it. The cleanup/admin_cleanup contexts and `rally-gate cleanup` list resources through
 * them and delete those whose names match Rally's random-name pattern. See README.md.
 */
import type { OpenStackSession } from '../../../openstack/index.js';
import type { OpenStackUser } from '../platform.js';

/** Where a manager lists or deletes. */
export interface CleanupScope {
  /** the session to call with: the user's (user managers) or the admin's */
  session: OpenStackSession;
  /** the admin's session when the credential has one */
  admin?: OpenStackSession;
  /** the user being cleaned for (user managers in the cleanup context) */
  user?: OpenStackUser;
  /** the project being cleaned (the user's project), when there is one */
  projectId?: string;
  /**
   * true for `rally-gate cleanup`: `session` is the admin's and the listing should cover every
   * project (e.g. all_tenants=1); false in the contexts (only the scope's own project/user).
   */
  allProjects: boolean;
  signal?: AbortSignal;
}

export interface CleanupResourceManager<R = unknown> {
  /** Rally's _service: "nova", "neutron", "cinder", "glance", "keystone"; the name tasks use in cleanup: [...] */
  service: string;
  /** Rally's _resource: "servers", "port", "volumes", "user", ...; "service.resource" also selects it */
  resource: string;
  /**
   * Rally's _order: smaller is deleted first, so dependents come first (nova 200+, neutron 300+,
   * cinder 400+, glance 500, keystone 9000+). Keep Rally's numbers.
   */
  order: number;
  /** Rally's admin_required: handled by admin_cleanup (true) or by cleanup (false) */
  adminRequired?: boolean;
  /** Rally's perform_for_admin_only: listed once with the admin's session, not per user */
  performForAdminOnly?: boolean;
  /** Rally's tenant_resource: listed once per project instead of once per user */
  tenantResource?: boolean;
  /** Resources visible in the scope (all of them; the manager filters by name). */
  list(scope: CleanupScope): Promise<R[]>;
  id(resource: R): string;
  /** the resource's name; undefined for resources without one (Rally's NoName: always deleted, e.g. EC2 credentials) */
  name(resource: R): string | undefined;
  delete(scope: CleanupScope, resource: R): Promise<void>;
  /** Whether deletion finished (Rally polls it); absent = deletion is synchronous (SynchronizedDeletion). */
  isDeleted?(scope: CleanupScope, resource: R): Promise<boolean>;
  /** Rally's max_attempts (3), timeout (600 s: resource_deletion_timeout), interval (1 s) */
  maxAttempts?: number;
  timeoutSeconds?: number;
  intervalSeconds?: number;
}

const managers = new Map<string, CleanupResourceManager<never>>();

/** Registers a resource manager; "service.resource" must be unique. */
export function registerCleanupResource<R>(manager: CleanupResourceManager<R>): CleanupResourceManager<R> {
  const key = `${manager.service}.${manager.resource}`;
  if (managers.has(key)) throw new Error(`cleanup resource manager ${key} is registered twice`);
  managers.set(key, manager as unknown as CleanupResourceManager<never>);
  return manager;
}

/** Every name a task may give in cleanup: [...] (Rally's list_resource_names). */
export function cleanupResourceNames(adminRequired?: boolean): Set<string> {
  const names = new Set<string>();
  for (const manager of managers.values()) {
    if (adminRequired !== undefined && Boolean(manager.adminRequired) !== adminRequired) continue;
    names.add(manager.service);
    names.add(`${manager.service}.${manager.resource}`);
  }
  return names;
}

/**
 * The managers selected by `names` ("service" or "service.resource"; every manager when
 * undefined), filtered by adminRequired when given, in deletion order (Rally's find_resource_managers).
 */
export function findCleanupResources(names?: readonly string[], adminRequired?: boolean): CleanupResourceManager<unknown>[] {
  const wanted = names ? new Set(names) : undefined;
  return [...managers.values()]
    .filter((m) => adminRequired === undefined || Boolean(m.adminRequired) === adminRequired)
    .filter((m) => !wanted || wanted.has(m.service) || wanted.has(`${m.service}.${m.resource}`))
    .sort((a, b) => a.order - b.order) as CleanupResourceManager<unknown>[];
}
