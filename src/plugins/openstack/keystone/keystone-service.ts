/**
 * Rally's Keystone v3 service (rally_openstack/common/services/identity/keystone_v3.py and
 * keystone_common.py) for scenarios: the same calls in the same atomic actions with the same
 * names ("keystone_v3.create_user", ...; note Rally's "keystone_v3.get_services" for get_service),
 * including what Rally does inside them (create_user resolves the domain, then lists roles and
 * grants "member" inside its timer when given a project).
 */
import type { CloudAuth } from '../../../cloud/credential.js';
import type { ScenarioContext } from '../../../engine/scenario.js';
import { RallyException } from '../../../engine/exceptions.js';
import { identity, isHttpStatus, type OpenStackSession } from '../../../openstack/index.js';
import { randomName } from '../names.js';

type CallOptions = { signal: AbortSignal };

export interface CreateUserOptions {
  username?: string;
  password?: string;
  project_id?: string;
  domain_name?: string;
  enabled?: boolean;
  default_role?: string;
}

export interface UpdateUserOptions {
  name?: string;
  domain_name?: string;
  project_id?: string;
  password?: string;
  email?: string;
  description?: string;
  enabled?: boolean;
  default_project?: string;
}

export class KeystoneService {
  private readonly options: CallOptions;

  constructor(
    private readonly ctx: ScenarioContext,
    readonly session: OpenStackSession,
  ) {
    this.options = { signal: ctx.signal };
  }

  /** Rally's identity service asks Keystone's version document on first use: once, before the first timer. */
  private discovery: Promise<void> | undefined;

  private async atomic<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.discovery ??= identity.discoverVersions(this.session, this.options);
    await this.discovery;
    return this.ctx.atomic(name, fn);
  }

  private name(): string {
    return randomName(this.ctx, 'scenario');
  }

  /** Rally's _get_domain_id: by id, else by name (two requests for "Default", as keystoneclient does). */
  async domainId(nameOrId: string): Promise<string> {
    try {
      return (await identity.getDomain(this.session, nameOrId, this.options)).id;
    } catch (error) {
      if (!isHttpStatus(error, 404)) throw error;
    }
    const [domain] = await identity.listDomains(this.session, { query: { name: nameOrId }, ...this.options });
    if (!domain) throw new RallyException(`Resource not found: KeystoneDomain(${nameOrId})`, 'GetResourceNotFound');
    return domain.id;
  }

  createProject(options: { project_name?: string; domain_name?: string } = {}): Promise<identity.Project> {
    return this.atomic('keystone_v3.create_project', async () => {
      const name = options.project_name ?? this.name();
      const domainId = await this.domainId(options.domain_name ?? 'Default');
      return identity.createProject(this.session, { name, domain_id: domainId }, this.options);
    });
  }

  updateProject(projectId: string, changes: { name?: string; description?: string; enabled?: boolean }): Promise<void> {
    return this.atomic('keystone_v3.update_project', async () => {
      await identity.updateProject(this.session, projectId, changes, this.options);
    });
  }

  deleteProject(projectId: string): Promise<void> {
    return this.atomic('keystone_v3.delete_project', () => identity.deleteProject(this.session, projectId, this.options));
  }

  listProjects(): Promise<identity.Project[]> {
    return this.atomic('keystone_v3.list_projects', () => identity.listProjects(this.session, this.options));
  }

  getProject(projectId: string): Promise<identity.Project> {
    return this.atomic('keystone_v3.get_project', () => identity.getProject(this.session, projectId, this.options));
  }

  /**
   * Rally's identity create_user: keystone_v3's, then _unify_user, whose getattr(user,
   * "project_id") makes keystoneclient load the user (GET /users/{id}) outside the timer.
   */
  async createUser(options: CreateUserOptions = {}): Promise<identity.User> {
    const user = await this.createUserV3(options);
    await identity.getUser(this.session, user.id, this.options);
    return user;
  }

  /** keystone_v3's create_user (what create_users repeats: no unification, no reload). */
  private createUserV3(options: CreateUserOptions): Promise<identity.User> {
    return this.atomic('keystone_v3.create_user', async () => {
      const domainId = await this.domainId(options.domain_name ?? 'Default');
      const request: identity.CreateUserRequest = {
        name: options.username ?? this.name(),
        domain_id: domainId,
        enabled: options.enabled ?? true,
      };
      if (options.password !== undefined) request.password = options.password;
      if (options.project_id !== undefined) request.default_project_id = options.project_id;
      const user = await identity.createUser(this.session, request, this.options);
      if (options.project_id) {
        const wanted = options.default_role ?? 'member';
        const roles = await this.listRoles();
        const role =
          roles.find((r) => r.name.toLowerCase() === wanted) ??
          roles.find((r) => r.name.toLowerCase().replace(/^_+|_+$/g, '') === wanted);
        if (role) await this.addRole(role.id, user.id, options.project_id);
      }
      return user;
    });
  }

  createUsers(projectId: string, count: number, userCreateArgs: CreateUserOptions = {}): Promise<identity.User[]> {
    return this.atomic('keystone_v3.create_users', async () => {
      const users: identity.User[] = [];
      for (let i = 0; i < count; i++) users.push(await this.createUserV3({ ...userCreateArgs, project_id: projectId }));
      return users;
    });
  }

  updateUser(userId: string, options: UpdateUserOptions): Promise<void> {
    return this.atomic('keystone_v3.update_user', async () => {
      const changes: Record<string, unknown> = {};
      if (options.domain_name) changes['domain_id'] = await this.domainId(options.domain_name);
      if (options.name !== undefined) changes['name'] = options.name;
      if (options.password !== undefined) changes['password'] = options.password;
      if (options.email !== undefined) changes['email'] = options.email;
      if (options.description !== undefined) changes['description'] = options.description;
      if (options.enabled !== undefined) changes['enabled'] = options.enabled;
      // keystoneclient sends both `project` and `default_project` as default_project_id
      const project = options.default_project ?? options.project_id;
      if (project !== undefined) changes['default_project_id'] = project;
      await identity.updateUser(this.session, userId, changes, this.options);
    });
  }

  listUsers(): Promise<identity.User[]> {
    return this.atomic('keystone_v3.list_users', () => identity.listUsers(this.session, this.options));
  }

  getUser(userId: string): Promise<identity.User> {
    return this.atomic('keystone_v3.get_user', () => identity.getUser(this.session, userId, this.options));
  }

  deleteUser(userId: string): Promise<void> {
    return this.atomic('keystone_v3.delete_user', () => identity.deleteUser(this.session, userId, this.options));
  }

  createService(options: { service_type?: string | null; description?: string | null } = {}): Promise<identity.Service> {
    return this.atomic('keystone_v3.create_service', () =>
      identity.createService(
        this.session,
        { name: this.name(), type: options.service_type || 'rally_test_type', description: options.description || this.name(), enabled: true },
        this.options,
      ),
    );
  }

  listServices(): Promise<identity.Service[]> {
    return this.atomic('keystone_v3.list_services', () => identity.listServices(this.session, this.options));
  }

  getService(serviceId: string): Promise<identity.Service> {
    return this.atomic('keystone_v3.get_services', () => identity.getService(this.session, serviceId, this.options));
  }

  /** Rally's get_service_by_name: list_services (timed) and pick by name. */
  async getServiceByName(name: string): Promise<identity.Service | undefined> {
    return (await this.listServices()).find((service) => service.name === name);
  }

  deleteService(serviceId: string): Promise<void> {
    return this.atomic('keystone_v3.delete_service', () => identity.deleteService(this.session, serviceId, this.options));
  }

  createRole(options: { name?: string; domain_name?: string } = {}): Promise<identity.Role> {
    return this.atomic('keystone_v3.create_role', async () => {
      const request: { name: string; domain_id?: string } = { name: options.name ?? this.name() };
      if (options.domain_name) request.domain_id = await this.domainId(options.domain_name);
      return identity.createRole(this.session, request, this.options);
    });
  }

  addRole(roleId: string, userId: string, projectId: string): Promise<void> {
    return this.atomic('keystone_v3.add_role', () => identity.grantProjectRole(this.session, projectId, userId, roleId, this.options));
  }

  revokeRole(roleId: string, userId: string, projectId: string): Promise<void> {
    return this.atomic('keystone_v3.revoke_role', () => identity.revokeProjectRole(this.session, projectId, userId, roleId, this.options));
  }

  /** keystoneclient roles.list(user, project, domain): a user's roles on a project, else all roles (of a domain). */
  listRoles(options: { user_id?: string; project_id?: string; domain_name?: string } = {}): Promise<identity.Role[]> {
    return this.atomic('keystone_v3.list_roles', async () => {
      if (options.user_id && options.project_id) {
        return identity.listProjectUserRoles(this.session, options.project_id, options.user_id, this.options);
      }
      const query: Record<string, string> = {};
      if (options.domain_name) query['domain_id'] = await this.domainId(options.domain_name);
      return identity.listRoles(this.session, { query, ...this.options });
    });
  }

  getRole(roleId: string): Promise<identity.Role> {
    return this.atomic('keystone_v3.get_role', () => identity.getRole(this.session, roleId, this.options));
  }

  deleteRole(roleId: string): Promise<void> {
    return this.atomic('keystone_v3.delete_role', () => identity.deleteRole(this.session, roleId, this.options));
  }

  createEc2Credentials(userId: string, projectId: string): Promise<identity.Ec2Credential> {
    return this.atomic('keystone_v3.create_ec2creds', () => identity.createEc2Credential(this.session, userId, projectId, this.options));
  }

  listEc2Credentials(userId: string): Promise<identity.Ec2Credential[]> {
    return this.atomic('keystone_v3.list_ec2creds', () => identity.listEc2Credentials(this.session, userId, this.options));
  }

  deleteEc2Credential(userId: string, access: string): Promise<void> {
    return this.atomic('keystone_v3.delete_ec2creds', () => identity.deleteEc2Credential(this.session, userId, access, this.options));
  }

  /** A new token for `auth` (Rally authenticates a fresh client: no cached token). */
  fetchToken(auth: CloudAuth): Promise<string> {
    return this.atomic('keystone_v3.fetch_token', async () => (await identity.authenticate(this.session, auth, this.options)).token);
  }

  validateToken(token: string): Promise<void> {
    return this.atomic('keystone_v3.validate_token', async () => {
      await identity.validateToken(this.session, token, this.options);
    });
  }
}
