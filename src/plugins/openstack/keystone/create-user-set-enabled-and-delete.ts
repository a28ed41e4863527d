/** KeystoneBasic.create_user_set_enabled_and_delete: create a user, toggle its enabled flag, delete it. */
import type { CreateUserOptions } from './keystone-service.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createUserArgProperties } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createUserSetEnabledAndDeleteScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_user_set_enabled_and_delete',
  description: 'Create a keystone user, enable or disable it, and delete it.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...createUserArgProperties }, additionalProperties: false },
  async run(ctx, { enabled = true, ...kwargs }: CreateUserOptions) {
    const keystone = adminKeystone(ctx);
    const user = await keystone.createUser({ ...kwargs, enabled });
    await keystone.updateUser(user.id, { enabled: !enabled });
    await keystone.deleteUser(user.id);
  },
});
