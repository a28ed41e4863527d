/** KeystoneBasic.create_and_delete_role: create a role and delete it. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createAndDeleteRoleScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_delete_role',
  description: 'Create a user role and delete it.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const keystone = adminKeystone(ctx);
    const role = await keystone.createRole();
    await keystone.deleteRole(role.id);
  },
});
