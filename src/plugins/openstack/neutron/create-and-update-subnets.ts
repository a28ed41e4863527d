/** NeutronNetworks.create_and_update_subnets: a network with subnets, then update each subnet. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, createSubnets, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, SUBNET_ARGS, type SubnetArgs, userNeutron } from './scenario-helpers.js';

export const createAndUpdateSubnets = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_update_subnets',
  description: 'Create and update a subnet.',
  schema: {
    type: 'object',
    properties: { subnet_update_args: { type: 'object' }, ...SUBNET_ARGS },
    required: ['subnet_update_args'],
    additionalProperties: false,
  },
  validateConfig: allOf(
    restrictedNameIn('network_create_args', 'subnet_create_args', 'subnet_update_args'),
    positiveIntegerArg('subnets_per_network'),
  ),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: SubnetArgs & { subnet_update_args: Record<string, unknown> }) {
    const neutron = userNeutron(ctx);
    const network = await neutron.createNetwork(args.network_create_args ?? {});
    const subnets = await createSubnets(neutron, network.id, args);
    for (const subnet of subnets) await neutron.updateSubnet(subnet.id, args.subnet_update_args);
  },
});
