/** KeystoneBasic.create_and_list_users: create a user with random name and list all users. */
import type { CreateUserOptions } from './keystone-service.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createUserArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createAndListUsersScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_list_users',
  description: 'Create a keystone user with random name and list all users.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...nameLengthProperty, ...createUserArgProperties, name: {} }, additionalProperties: false },
  async run(ctx, { name_length: _ignored, name: _dropped, ...kwargs }: CreateUserOptions & { name_length?: number; name?: unknown }) {
    const keystone = adminKeystone(ctx);
    await keystone.createUser(kwargs);
    await keystone.listUsers();
  },
});
