/** KeystoneBasic.create_and_get_role: create a role and get it. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createAndGetRoleScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_get_role',
  description: 'Create a user role and get it detailed information.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { name: { type: 'string' }, domain_name: { type: 'string' } }, additionalProperties: false },
  async run(ctx, kwargs: { name?: string; domain_name?: string }) {
    const keystone = adminKeystone(ctx);
    const role = await keystone.createRole(kwargs);
    await keystone.getRole(role.id);
  },
});
