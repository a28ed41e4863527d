/**
 * The roles context (rally_openstack/task/contexts/keystone/roles.py, order 330): grants the named
 * existing roles to every user of the users context on its project, and revokes in cleanup only
 * the grants it made (a user who had the role already keeps it). ctx.context.roles = {id: name}.
 */
import { registerContext, type ContextRunApi } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import { identity, isHttpStatus } from '../../../openstack/index.js';
import { contextPlatform } from '../platform.js';
import { forEachConcurrently } from '../scenario-base.js';

/** Rally's [openstack] roles_context_resource_management_workers */
const WORKERS = 30;

declare module '../../../engine/scenario.js' {
  interface ContextData {
    /** role id -> role name, granted by the roles context */
    roles?: Record<string, string>;
  }
}

interface Grant {
  roleId: string;
  userId: string;
  projectId: string;
}

class RolesContext {
  private readonly grants: Grant[] = [];

  async setup(api: ContextRunApi): Promise<void> {
    const admin = contextPlatform(api).cloud.admin();
    const names = Array.isArray(api.config) ? (api.config as string[]) : [];
    const allRoles = await identity.listRoles(admin, { signal: api.signal });
    const existing = new Map<string, Set<string>>(); // user id -> role ids already on its project
    const planned: Grant[] = [];
    const roles: Record<string, string> = {};
    for (const name of names) {
      const role = allRoles.find((r) => r.name === name);
      if (!role) throw new RallyException(`There is no role with name \`${name}\``, 'NotFoundException');
      roles[role.id] = role.name;
      for (const user of api.data.users ?? []) {
        let held = existing.get(user.id);
        if (!held) {
          const current = await identity.listProjectUserRoles(admin, user.projectId, user.id, { signal: api.signal });
          held = new Set(current.map((r) => r.id));
          existing.set(user.id, held);
        }
        if (!held.has(role.id)) {
          held.add(role.id);
          planned.push({ roleId: role.id, userId: user.id, projectId: user.projectId });
        }
      }
    }
    api.data.roles = roles;
    await forEachConcurrently(planned, WORKERS, async (grant) => {
      await identity.grantProjectRole(admin, grant.projectId, grant.userId, grant.roleId, { signal: api.signal });
      this.grants.push(grant);
    });
  }

  async cleanup(api: ContextRunApi): Promise<void> {
    const admin = contextPlatform(api).cloud.admin();
    await forEachConcurrently(this.grants, WORKERS, async (grant) => {
      try {
        await identity.revokeProjectRole(admin, grant.projectId, grant.userId, grant.roleId);
      } catch (error) {
        if (!isHttpStatus(error, 404)) throw error;
      }
    });
    this.grants.length = 0;
  }
}

export const rolesContext = registerContext({
  name: 'roles',
  platform: 'openstack',
  description: 'Context class for assigning roles for users.',
  order: 330,
  schema: { type: 'array', items: { type: 'string', description: 'The name of role to assign to user' } },
  create: () => new RolesContext(),
});
