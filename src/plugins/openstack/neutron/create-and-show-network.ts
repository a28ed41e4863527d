/** NeutronNetworks.create_and_show_network: create a network and show its details. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, requestArgs, restrictedNameIn, userNeutron } from './scenario-helpers.js';

export const createAndShowNetwork = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_show_network',
  description: 'Create a network and show network details.',
  schema: { type: 'object', properties: { network_create_args: requestArgs }, additionalProperties: false },
  validateConfig: restrictedNameIn('network_create_args'),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { network_create_args }: { network_create_args?: Record<string, unknown> | null }) {
    const neutron = userNeutron(ctx);
    const network = await neutron.createNetwork(network_create_args ?? {});
    await neutron.getNetwork(network.id);
  },
});
