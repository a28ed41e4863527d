/** NeutronNetworks.create_and_delete_subnets: subnets on the context's (or a new) network, then delete them. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { createSubnets, getOrCreateNetwork, SUBNET_SCENARIO, type SubnetArgs, userNeutron } from './scenario-helpers.js';

export const createAndDeleteSubnets = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_delete_subnets',
  description: 'Create and delete a given number of subnets.',
  ...SUBNET_SCENARIO,
  async run(ctx, args: SubnetArgs) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    const subnets = await createSubnets(neutron, network.id, args);
    for (const subnet of subnets) await neutron.deleteSubnet(subnet.id);
  },
});
