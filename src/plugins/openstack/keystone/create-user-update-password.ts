/** KeystoneBasic.create_user_update_password: create a user and give it a new password. */
import { randomName } from '../names.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createUserUpdatePasswordScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_user_update_password',
  description: 'Create user and update password for that user.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: {
    type: 'object',
    properties: { name_length: { type: ['integer', 'null'] }, password_length: { type: ['integer', 'null'] } },
    additionalProperties: false,
  },
  async run(ctx) {
    const keystone = adminKeystone(ctx);
    const user = await keystone.createUser();
    await keystone.updateUser(user.id, { password: randomName(ctx, 'scenario') });
  },
});
