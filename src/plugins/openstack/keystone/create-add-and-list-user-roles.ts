/** KeystoneBasic.create_add_and_list_user_roles: create a role, grant it to the user, list the user's roles. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';

export const createAddAndListUserRolesScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_add_and_list_user_roles',
  description: 'Create user role, add it and list user roles for given user.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const { user, tenant } = scenarioUser(ctx);
    const keystone = adminKeystone(ctx);
    const role = await keystone.createRole();
    await keystone.addRole(role.id, user.id, tenant.id);
    await keystone.listRoles({ user_id: user.id, project_id: tenant.id });
  },
});
