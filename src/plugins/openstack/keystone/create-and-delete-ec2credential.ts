/** KeystoneBasic.create_and_delete_ec2credential: the user creates EC2 credentials and deletes them. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { USER_KEYSTONE_CLEANUP, userKeystone } from './common.js';

export const createAndDeleteEc2CredentialScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_delete_ec2credential',
  description: 'Create and delete keystone ec2-credential.',
  defaultContexts: USER_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const { user, tenant } = scenarioUser(ctx);
    const keystone = userKeystone(ctx);
    const credential = await keystone.createEc2Credentials(user.id, tenant.id);
    await keystone.deleteEc2Credential(user.id, credential.access);
  },
});
