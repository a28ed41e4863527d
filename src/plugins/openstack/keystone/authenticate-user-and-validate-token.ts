/** KeystoneBasic.authenticate_user_and_validate_token: fetch a new admin token, then validate it. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const authenticateUserAndValidateTokenScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.authenticate_user_and_validate_token',
  description: 'Authenticate and validate a keystone token.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const keystone = adminKeystone(ctx);
    const token = await keystone.fetchToken(keystone.session.auth);
    await keystone.validateToken(token);
  },
});
