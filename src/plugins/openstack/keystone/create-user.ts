/** KeystoneBasic.create_user: create a keystone user with random name. */
import type { CreateUserOptions } from './keystone-service.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createUserArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createUserScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_user',
  description: 'Create a keystone user with random name.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...nameLengthProperty, ...createUserArgProperties }, additionalProperties: false },
  async run(ctx, { name_length: _ignored, ...kwargs }: CreateUserOptions & { name_length?: number }) {
    await adminKeystone(ctx).createUser(kwargs);
  },
});
