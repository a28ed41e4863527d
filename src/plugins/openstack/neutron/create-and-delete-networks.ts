/** NeutronNetworks.create_and_delete_networks: create a network, then delete it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, requestArgs, restrictedNameIn, userNeutron } from './scenario-helpers.js';

export const createAndDeleteNetworks = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_delete_networks',
  description: 'Create and delete a network.',
  schema: { type: 'object', properties: { network_create_args: requestArgs }, additionalProperties: false },
  validateConfig: restrictedNameIn('network_create_args'),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { network_create_args }: { network_create_args?: Record<string, unknown> | null }) {
    const neutron = userNeutron(ctx);
    const network = await neutron.createNetwork(network_create_args ?? {});
    await neutron.deleteNetwork(network.id);
  },
});
