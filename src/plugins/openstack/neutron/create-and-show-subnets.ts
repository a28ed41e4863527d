/** NeutronNetworks.create_and_show_subnets: subnets on the context's (or a new) network, then show each. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { createSubnets, getOrCreateNetwork, SUBNET_SCENARIO, type SubnetArgs, userNeutron } from './scenario-helpers.js';

export const createAndShowSubnets = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_show_subnets',
  description: 'Create and show a subnet details.',
  ...SUBNET_SCENARIO,
  async run(ctx, args: SubnetArgs) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    const subnets = await createSubnets(neutron, network.id, args);
    for (const subnet of subnets) await neutron.getSubnet(subnet.id);
  },
});
