/** KeystoneBasic.create_and_list_ec2credentials: the user creates EC2 credentials and lists its own. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { USER_KEYSTONE_CLEANUP, userKeystone } from './common.js';

export const createAndListEc2CredentialsScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_list_ec2credentials',
  description: 'Create and List all keystone ec2-credentials.',
  defaultContexts: USER_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const { user, tenant } = scenarioUser(ctx);
    const keystone = userKeystone(ctx);
    await keystone.createEc2Credentials(user.id, tenant.id);
    await keystone.listEc2Credentials(user.id);
  },
});
