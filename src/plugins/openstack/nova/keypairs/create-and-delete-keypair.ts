/** NovaKeypair.create_and_delete_keypair: create a keypair, then delete it. */
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createKeypair, deleteKeypair, KEYPAIR_ARGS_SCHEMA, type KeypairArgs } from '../keypairs.js';

registerOpenStackScenario<KeypairArgs>({
  name: 'NovaKeypair.create_and_delete_keypair',
  description: 'Create a keypair with random name and delete keypair.',
  schema: KEYPAIR_ARGS_SCHEMA,
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session } = scenarioUser(ctx);
    const name = await createKeypair(ctx, session, randomName(ctx, 'scenario'), args);
    await deleteKeypair(ctx, session, name);
  },
});
