/** KeystoneBasic.create_delete_user: create a keystone user with random name and then delete it. */
import type { CreateUserOptions } from './keystone-service.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createUserArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createDeleteUserScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_delete_user',
  description: 'Create a keystone user with random name and then delete it.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...nameLengthProperty, ...createUserArgProperties }, additionalProperties: false },
  async run(ctx, { name_length: _ignored, ...kwargs }: CreateUserOptions & { name_length?: number }) {
    const keystone = adminKeystone(ctx);
    const user = await keystone.createUser(kwargs);
    await keystone.deleteUser(user.id);
  },
});
