/** NeutronNetworks.create_and_update_subnets: a network with subnets, then update each subnet. */
import { registerOpenStackScenario } from '../scenario-base.js';
import type { Subnet } from '../../../openstack/network.js';
import { allOf, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, SUBNET_ARGS, userNeutron, type SubnetArgs } from './scenario-helpers.js';

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
    const subnets: Subnet[] = [];
    for (let i = 0; i < (args.subnets_per_network ?? 1); i++) {
      subnets.push(await neutron.createSubnet(network.id, { start_cidr: args.subnet_cidr_start ?? null, ...(args.subnet_create_args ?? {}) }));
    }
    for (const subnet of subnets) await neutron.updateSubnet(subnet.id, args.subnet_update_args);
  },
});
