/** KeystoneBasic.add_and_remove_user_role: create a role, grant it to the iteration's user, revoke it. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';

export const addAndRemoveUserRoleScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.add_and_remove_user_role',
  description: 'Create a user role add to a user and disassociate.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const { user, tenant } = scenarioUser(ctx);
    const keystone = adminKeystone(ctx);
    const role = await keystone.createRole();
    await keystone.addRole(role.id, user.id, tenant.id);
    await keystone.revokeRole(role.id, user.id, tenant.id);
  },
});
