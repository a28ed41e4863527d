/** NovaKeypair.boot_and_delete_server_with_keypair: create a keypair, boot a server with it, delete both. */
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { bootUserServer } from '../boot-args.js';
import { createKeypair, deleteKeypair, type KeypairArgs } from '../keypairs.js';
import { RESOURCE_SPEC_SCHEMA, type ResourceSpec } from '../resource-types.js';
import { deleteServer, type BootOptions } from '../service.js';

registerOpenStackScenario<KeypairArgs & { image: ResourceSpec; flavor: ResourceSpec; boot_server_kwargs?: BootOptions | null }>({
  name: 'NovaKeypair.boot_and_delete_server_with_keypair',
  description: 'Boot and delete server with keypair.',
  schema: {
    type: 'object',
    properties: {
      image: RESOURCE_SPEC_SCHEMA,
      flavor: RESOURCE_SPEC_SCHEMA,
      boot_server_kwargs: { type: ['object', 'null'] },
      public_key: { type: 'string' },
      key_type: { enum: ['ssh', 'x509'] },
      user_id: { type: 'string' },
    },
    required: ['image', 'flavor'],
    additionalProperties: false,
  },
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, { image, flavor, boot_server_kwargs, ...keypairArgs }) {
    const { session } = scenarioUser(ctx);
    const keypair = await createKeypair(ctx, session, randomName(ctx, 'scenario'), keypairArgs);
    const { server } = await bootUserServer(ctx, image, flavor, { ...(boot_server_kwargs ?? {}), key_name: keypair });
    await deleteServer(ctx, session, server);
    await deleteKeypair(ctx, session, keypair);
  },
});
