/** NeutronNetworks.create_and_list_subnets: a network with subnets_per_network subnets, then list all subnets. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { createSubnets, SUBNET_SCENARIO, type SubnetArgs, userNeutron } from './scenario-helpers.js';

export const createAndListSubnets = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_list_subnets',
  description: 'Create and a given number of subnets and list all subnets.',
  ...SUBNET_SCENARIO,
  async run(ctx, args: SubnetArgs) {
    const neutron = userNeutron(ctx);
    const network = await neutron.createNetwork(args.network_create_args ?? {});
    await createSubnets(neutron, network.id, args);
    await neutron.listSubnets();
  },
});
