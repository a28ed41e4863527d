/** NovaKeypair.create_and_list_keypairs: create a keypair, list keypairs and find it. */
import { RallyException } from '../../../../engine/exceptions.js';
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createKeypair, KEYPAIR_ARGS_SCHEMA, listKeypairs, type KeypairArgs } from '../keypairs.js';

registerOpenStackScenario<KeypairArgs>({
  name: 'NovaKeypair.create_and_list_keypairs',
  description: 'Create a keypair with random name and list keypairs.',
  schema: KEYPAIR_ARGS_SCHEMA,
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session } = scenarioUser(ctx);
    const name = await createKeypair(ctx, session, randomName(ctx, 'scenario'), args);
    const keypairs = await listKeypairs(ctx, session);
    if (!keypairs.some((keypair) => keypair.name === name)) throw new RallyException(`${name} not found in the keypair list`, 'AssertionError');
  },
});
