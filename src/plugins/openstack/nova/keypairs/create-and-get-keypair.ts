/** NovaKeypair.create_and_get_keypair: create a keypair, then get it. */
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createKeypair, getKeypair, KEYPAIR_ARGS_SCHEMA, type KeypairArgs } from '../keypairs.js';

registerOpenStackScenario<KeypairArgs>({
  name: 'NovaKeypair.create_and_get_keypair',
  description: 'Create a keypair and get the keypair details.',
  schema: KEYPAIR_ARGS_SCHEMA,
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session } = scenarioUser(ctx);
    const name = await createKeypair(ctx, session, randomName(ctx, 'scenario'), args);
    await getKeypair(ctx, session, name);
  },
});
