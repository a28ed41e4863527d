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
import { identity, isHttpStatus, network, retryTransient, type OpenStackSession } from '../../../openstack/index.js';
import { nameMatchesRally, randomName } from '../names.js';
import { contextPlatform, type OpenStackTenant, type OpenStackUser } from '../platform.js';
import { serviceAvailable } from '../scenario-base.js';
import { allSettledOrThrow, createLimit } from './limiter.js';

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

/**
 * Rally's _get_domain_id: the domain with this id, else the first with this name. The admin's
 * token already names its user's and project's domains, so the usual case ("Default") costs no
 * request; otherwise both lookups go out together.
 */
async function resolveDomainId(session: OpenStackSession, nameOrId: string, signal: AbortSignal): Promise<string> {
  const token = await session.token(signal);
  for (const known of [token.user.domain, token.project?.domain]) {
    if (known && (known.id === nameOrId || known.name === nameOrId)) return known.id;
  }
  const byId = identity.getDomain(session, nameOrId, { signal }).then(
    (domain) => domain.id,
    (error: unknown) => {
      if (isHttpStatus(error, 404) || isHttpStatus(error, 403)) return undefined;
      throw error;
    },
  );
  const byName = identity.listDomains(session, { query: { name: nameOrId }, signal });
  byName.catch(() => undefined); // awaited below only when the id lookup found nothing
  const id = await byId;
  if (id !== undefined) return id;
  const [domain] = await byName;
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

  /**
   * Projects, then each project's users as soon as that project exists, each user then gets the
   * member role: all under one bound of `resource_management_workers` requests in flight (Rally
   * runs the same calls from thread pools of that size).
   */
  private async createUsers(api: ContextRunApi, config: UsersConfig): Promise<void> {
    const { cloud } = contextPlatform(api);
    const admin = cloud.admin();
    const adminAuth = cloud.credential.admin;
    const tenantCount = config.tenants ?? 1;
    const usersPerTenant = config.users_per_tenant ?? 1;
    const limit = createLimit(config.resource_management_workers ?? DEFAULT_WORKERS);
    const signal = api.signal;
    const projectDomain = config.project_domain ?? domainOf(adminAuth, 'project');
    const userDomain = config.user_domain ?? domainOf(adminAuth, 'user');
    const [projectDomainId, userDomainId] = await Promise.all([
      resolveDomainId(admin, projectDomain, signal),
      userDomain === projectDomain ? undefined : resolveDomainId(admin, userDomain, signal),
    ]);
    // needed only once the first user exists: listed meanwhile
    const memberRole = limit(() => identity.listRoles(admin, { signal })).then(findDefaultRole);
    memberRole.catch(() => undefined); // its failure surfaces through the grants that await it

    const tenants: OpenStackTenant[] = [];
    const users: OpenStackUser[][] = [];
    const createUser = async (project: identity.Project): Promise<OpenStackUser> => {
      const password = config.user_password ?? randomUUID();
      const user = await limit(() =>
        identity.createUser(
          admin,
          { name: randomName(api, 'context'), password, default_project_id: project.id, domain_id: userDomainId ?? projectDomainId, enabled: true },
          { signal },
        ),
      );
      this.userIds.push(user.id);
      const role = await memberRole;
      if (role) await limit(() => identity.grantProjectRole(admin, project.id, user.id, role.id, { signal }));
      const auth: PasswordAuth = { method: 'password', user: { id: user.id }, password, scope: { kind: 'project', id: project.id } };
      return { id: user.id, name: user.name, projectId: project.id, session: cloud.session(auth) };
    };
    await allSettledOrThrow(
      Array.from({ length: tenantCount }, async (_, index) => {
        const project = await limit(() => identity.createProject(admin, { name: randomName(api, 'context'), domain_id: projectDomainId }, { signal }));
        this.projectIds.push(project.id);
        tenants[index] = { id: project.id, name: project.name, userIds: [] };
        const created: OpenStackUser[] = [];
        users[index] = created;
        await allSettledOrThrow(
          Array.from({ length: usersPerTenant }, async () => {
            created.push(await createUser(project));
          }),
        );
      }),
    );
    // Projects in the order they were asked for, each with its users (Rally's tenants dict order).
    api.data.tenants = Object.fromEntries(tenants.map((tenant) => [tenant.id, tenant]));
    api.data.users = users.flat();
    for (const user of api.data.users) api.data.tenants[user.projectId]!.userIds.push(user.id);
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
        // A service restarting mid-cleanup must not leave the run's users and projects behind.
        await retryTransient(fn);
      } catch (error) {
        // already gone is fine: a scenario or an earlier cleanup deleted it
        if (!isHttpStatus(error, 404)) failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    // Cleanup must finish even after Ctrl-C: no abort signal on these calls. Keystone deletes a
    // project's role assignments itself, so users and projects go out together.
    const limit = createLimit(DEFAULT_WORKERS);
    await Promise.all([
      attempt('default security groups', () => this.removeDefaultSecurityGroups(admin)),
      ...this.userIds.map((id) => limit(() => attempt(`user ${id}`, () => identity.deleteUser(admin, id)))),
      ...this.projectIds.map((id) => limit(() => attempt(`project ${id}`, () => identity.deleteProject(admin, id)))),
    ]);
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
    const ours = groups.filter((group) => group.project_id !== undefined && projects.has(group.project_id));
    await allSettledOrThrow(ours.map((group) => network.deleteSecurityGroup(admin, group.id)));
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
