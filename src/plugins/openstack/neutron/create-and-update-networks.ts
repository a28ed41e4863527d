/** NeutronNetworks.create_and_update_networks: create a network, then update it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, requestArgs, restrictedNameIn, userNeutron } from './scenario-helpers.js';

interface Args {
  network_update_args: Record<string, unknown>;
  network_create_args?: Record<string, unknown> | null;
}

export const createAndUpdateNetworks = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_update_networks',
  description: 'Create and update a network.',
  schema: {
    type: 'object',
    properties: { network_update_args: { type: 'object' }, network_create_args: requestArgs },
    required: ['network_update_args'],
    additionalProperties: false,
  },
  validateConfig: restrictedNameIn('network_create_args', 'network_update_args'),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { network_update_args, network_create_args }: Args) {
    const neutron = userNeutron(ctx);
    const network = await neutron.createNetwork(network_create_args ?? {});
    await neutron.updateNetwork(network.id, network_update_args);
  },
});
