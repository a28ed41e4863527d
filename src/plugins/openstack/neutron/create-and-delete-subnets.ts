/** NeutronNetworks.create_and_delete_subnets: subnets on the context's (or a new) network, then delete them. */
import { registerOpenStackScenario } from '../scenario-base.js';
import type { Subnet } from '../../../openstack/network.js';
import { allOf, getOrCreateNetwork, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, SUBNET_ARGS, userNeutron, type SubnetArgs } from './scenario-helpers.js';

export const createAndDeleteSubnets = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_delete_subnets',
  description: 'Create and delete a given number of subnets.',
  schema: { type: 'object', properties: SUBNET_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'subnet_create_args'), positiveIntegerArg('subnets_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: SubnetArgs) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    const subnets: Subnet[] = [];
    for (let i = 0; i < (args.subnets_per_network ?? 1); i++) {
      subnets.push(await neutron.createSubnet(network.id, { start_cidr: args.subnet_cidr_start ?? null, ...(args.subnet_create_args ?? {}) }));
    }
    for (const subnet of subnets) await neutron.deleteSubnet(subnet.id);
  },
});
