/**
 * The users context (rally_openstack/task/contexts/keystone/users.py, order 100): creates
 * `tenants` projects with `users_per_tenant` users each (member role in their project), or, when
 * the credential lists existing users and the config asks for nothing but user_choice_method,
 * uses those. Fills ctx.context.admin/users/tenants/user_choice_method. Cleanup deletes the
 * projects' default security groups (when Neutron is there), then the users, then the projects:
 * everything created so far, even when setup failed half-way.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject } from '../../../common/json.js';
import { registerContext, type ContextRunApi } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import type { CloudAuth, PasswordAuth } from '../../../cloud/credential.js';
import { identity, isHttpStatus, network, type OpenStackSession } from '../../../openstack/index.js';
import { nameMatchesRally, randomName } from '../names.js';
import { contextPlatform, type OpenStackTenant, type OpenStackUser } from '../platform.js';
import { forEachConcurrently, serviceAvailable } from '../scenario-base.js';

/** Rally's [openstack] users_context_resource_management_workers and keystone_default_role */
const DEFAULT_WORKERS = 20;
const DEFAULT_ROLE = 'member';

export interface UsersConfig {
  tenants?: number;
  users_per_tenant?: number;
  user_password?: string;
  resource_management_workers?: number;
  project_domain?: string;
  user_domain?: string;
  user_choice_method: 'random' | 'round_robin';
}

declare module '../../../engine/scenario.js' {
  interface ContextData {
    /** true when the users are the credential's existing users (nothing created) */
    existing_users?: boolean;
  }
}

const userChoiceMethod = { enum: ['random', 'round_robin'], description: 'The mode of balancing usage of users between scenario iterations.' };

/** The domain an auth names for its user or project scope (Rally: *_domain_name or "default"). */
function domainOf(auth: CloudAuth | undefined, which: 'user' | 'project'): string {
  if (!auth || auth.method !== 'password') return 'default';
  if (which === 'user') return auth.user.domainName ?? auth.user.domainId ?? 'default';
  const scope = auth.scope;
  if (scope?.kind === 'project') return scope.domainName ?? scope.domainId ?? 'default';
  return 'default';
}

/** Rally's _get_domain_id: the domain with this id, else the first with this name. */
async function resolveDomainId(session: OpenStackSession, nameOrId: string, signal: AbortSignal): Promise<string> {
  try {
    return (await identity.getDomain(session, nameOrId, { signal })).id;
  } catch (error) {
    if (!isHttpStatus(error, 404) && !isHttpStatus(error, 403)) throw error;
  }
  const [domain] = await identity.listDomains(session, { query: { name: nameOrId }, signal });
  if (!domain) throw new RallyException(`Resource not found: KeystoneDomain(${nameOrId})`, 'GetResourceNotFound');
  return domain.id;
}

/** keystone_v3 create_user's default role: "member", else a role named like "_member_". */
function findDefaultRole(roles: identity.Role[]): identity.Role | undefined {
  return (
    roles.find((role) => role.name.toLowerCase() === DEFAULT_ROLE) ??
    roles.find((role) => role.name.toLowerCase().replace(/^_+|_+$/g, '') === DEFAULT_ROLE)
  );
}

/** Whether the config asks for new users (anything beyond user_choice_method). */
export function wantsNewUsers(config: Record<string, unknown>): boolean {
  return Object.keys(config).some((key) => key !== 'user_choice_method');
}

class UsersContext {
  private readonly projectIds: string[] = [];
  private readonly userIds: string[] = [];
  private usedExisting = false;
  /** false until setup finished: then requests cut short may have created what we never heard of */
  private setupCompleted = false;

  async setup(api: ContextRunApi): Promise<void> {
    const config = (isJsonObject(api.config) ? api.config : {}) as unknown as UsersConfig;
    const { cloud } = contextPlatform(api);
    api.data.users = [];
    api.data.tenants = {};
    api.data.user_choice_method = config.user_choice_method ?? 'random';
    if (cloud.hasAdmin()) api.data.admin = { session: cloud.admin() };
    if (cloud.credential.users.length > 0 && !wantsNewUsers(config as unknown as Record<string, unknown>)) {
      this.usedExisting = true;
      api.data.existing_users = true;
      await this.useExistingUsers(api);
    } else {
      if (!cloud.hasAdmin()) throw new RallyException('the users context needs an admin credential to create users', 'ContextSetupFailure');
      await this.createUsers(api, config);
    }
    this.setupCompleted = true;
  }

  private async useExistingUsers(api: ContextRunApi): Promise<void> {
    const { cloud } = contextPlatform(api);
    for (const session of cloud.existingUserSessions()) {
      const token = await session.token(api.signal);
      const projectId = token.project?.id;
      if (!projectId) throw new RallyException(`existing user ${session.describe()} is not scoped to a project`, 'ContextSetupFailure');
      const tenants = api.data.tenants!;
      tenants[projectId] ??= { id: projectId, name: token.project!.name, userIds: [] };
      tenants[projectId].userIds.push(token.user.id);
      api.data.users!.push({ id: token.user.id, name: token.user.name, projectId, session });
    }
  }

  private async createUsers(api: ContextRunApi, config: UsersConfig): Promise<void> {
    const { cloud } = contextPlatform(api);
    const admin = cloud.admin();
    const adminAuth = cloud.credential.admin;
    const tenantCount = config.tenants ?? 1;
    const usersPerTenant = config.users_per_tenant ?? 1;
    const workers = config.resource_management_workers ?? DEFAULT_WORKERS;
    const signal = api.signal;
    const projectDomainId = await resolveDomainId(admin, config.project_domain ?? domainOf(adminAuth, 'project'), signal);
    const userDomainId = await resolveDomainId(admin, config.user_domain ?? domainOf(adminAuth, 'user'), signal);

    const tenants: Record<string, OpenStackTenant> = {};
    await forEachConcurrently(
      Array.from({ length: tenantCount }, (_, i) => i),
      Math.min(workers, tenantCount),
      async () => {
        const project = await identity.createProject(admin, { name: randomName(api, 'context'), domain_id: projectDomainId }, { signal });
        this.projectIds.push(project.id);
        tenants[project.id] = { id: project.id, name: project.name, userIds: [] };
      },
    );
    api.data.tenants = tenants;

    const roles = await identity.listRoles(admin, { signal });
    const memberRole = findDefaultRole(roles);
    const plans = Object.keys(tenants).flatMap((projectId) =>
      Array.from({ length: usersPerTenant }, () => ({ projectId, name: randomName(api, 'context'), password: config.user_password ?? randomUUID() })),
    );
    const users: OpenStackUser[] = [];
    await forEachConcurrently(plans, Math.min(workers, plans.length), async (plan) => {
      const user = await identity.createUser(
        admin,
        { name: plan.name, password: plan.password, default_project_id: plan.projectId, domain_id: userDomainId, enabled: true },
        { signal },
      );
      this.userIds.push(user.id);
      if (memberRole) await identity.grantProjectRole(admin, plan.projectId, user.id, memberRole.id, { signal });
      const auth: PasswordAuth = { method: 'password', user: { id: user.id }, password: plan.password, scope: { kind: 'project', id: plan.projectId } };
      users.push({ id: user.id, name: user.name, projectId: plan.projectId, session: cloud.session(auth) });
    });
    // Users in the order Rally's tenants dict lists them (creation order of projects).
    for (const user of users) tenants[user.projectId]!.userIds.push(user.id);
    api.data.users = users;
  }

  async cleanup(api: ContextRunApi): Promise<void> {
    if (this.usedExisting) return;
    const { cloud } = contextPlatform(api);
    if (!cloud.hasAdmin()) return;
    const admin = cloud.admin();
    if (!this.setupCompleted) await this.findUnacknowledged(api, admin);
    if (this.projectIds.length === 0 && this.userIds.length === 0) return;
    const failures: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        // already gone is fine: a scenario or an earlier cleanup deleted it
        if (!isHttpStatus(error, 404)) failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    await attempt('default security groups', () => this.removeDefaultSecurityGroups(admin));
    // Cleanup must finish even after Ctrl-C: no abort signal on these calls.
    await forEachConcurrently(this.userIds, DEFAULT_WORKERS, (id) => attempt(`user ${id}`, () => identity.deleteUser(admin, id)));
    await forEachConcurrently(this.projectIds, DEFAULT_WORKERS, (id) => attempt(`project ${id}`, () => identity.deleteProject(admin, id)));
    this.userIds.length = 0;
    this.projectIds.length = 0;
    if (failures.length > 0) throw new RallyException(`users context cleanup: ${failures.join('; ')}`);
  }

  /**
   * After a failed or interrupted setup, a request cut short (Ctrl-C, timeout) may still have
   * created its project or user: find them by this workload's context names.
   */
  private async findUnacknowledged(api: ContextRunApi, admin: OpenStackSession): Promise<void> {
    const ours = (name: string): boolean => nameMatchesRally(name, { ownerId: api.workload.workloadUuid, kinds: ['context'] });
    const [users, projects] = await Promise.all([identity.listUsers(admin), identity.listProjects(admin)]);
    for (const user of users) if (ours(user.name) && !this.userIds.includes(user.id)) this.userIds.push(user.id);
    for (const project of projects) if (ours(project.name) && !this.projectIds.includes(project.id)) this.projectIds.push(project.id);
  }

  /** Neutron makes a "default" security group per project on first use; Rally deletes them. */
  private async removeDefaultSecurityGroups(admin: OpenStackSession): Promise<void> {
    if (!(await serviceAvailable(admin, 'network'))) return;
    const projects = new Set(this.projectIds);
    const groups = await network.listSecurityGroups(admin, { query: { name: 'default' } });
    for (const group of groups) {
      const owner = group.project_id;
      if (owner && projects.has(owner)) await network.deleteSecurityGroup(admin, group.id);
    }
  }
}

export const usersContext = registerContext({
  name: 'users',
  platform: 'openstack',
  description: 'Creates specified amount of keystone users and tenants.',
  order: 100,
  defaultConfig: { user_choice_method: 'random' },
  schema: {
    type: 'object',
    anyOf: [
      {
        description: 'Create new temporary users and tenants.',
        properties: {
          tenants: { type: 'integer', minimum: 1, description: 'The number of tenants to create.' },
          users_per_tenant: { type: 'integer', minimum: 1, description: 'The number of users to create per one tenant.' },
          user_password: { type: 'string', description: 'Specify custom user password instead of randomly generated in case of password requirements.' },
          resource_management_workers: { type: 'integer', minimum: 1, description: 'The number of concurrent threads to use for serving users context.' },
          project_domain: { type: 'string', description: 'ID of domain in which projects will be created.' },
          user_domain: { type: 'string', description: 'ID of domain in which users will be created.' },
          user_choice_method: userChoiceMethod,
        },
        additionalProperties: false,
      },
      {
        description: 'Use existing users and tenants.',
        properties: { user_choice_method: userChoiceMethod },
        additionalProperties: false,
      },
    ],
  },
  create: () => new UsersContext(),
});
