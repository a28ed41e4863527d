/** NeutronNetworks.create_and_list_networks: create a network, then list all networks. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, requestArgs, restrictedNameIn, userNeutron } from './scenario-helpers.js';

export const createAndListNetworks = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_list_networks',
  description: 'Create a network and then list all networks.',
  schema: { type: 'object', properties: { network_create_args: requestArgs }, additionalProperties: false },
  validateConfig: restrictedNameIn('network_create_args'),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { network_create_args }: { network_create_args?: Record<string, unknown> | null }) {
    const neutron = userNeutron(ctx);
    await neutron.createNetwork(network_create_args ?? {});
    await neutron.listNetworks();
  },
});
