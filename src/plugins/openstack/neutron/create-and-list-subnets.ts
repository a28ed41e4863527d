/** NeutronNetworks.create_and_list_subnets: a network with subnets_per_network subnets, then list all subnets. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, SUBNET_ARGS, userNeutron, type SubnetArgs } from './scenario-helpers.js';

export const createAndListSubnets = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_list_subnets',
  description: 'Create and a given number of subnets and list all subnets.',
  schema: { type: 'object', properties: SUBNET_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'subnet_create_args'), positiveIntegerArg('subnets_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: SubnetArgs) {
    const neutron = userNeutron(ctx);
    const network = await neutron.createNetwork(args.network_create_args ?? {});
    for (let i = 0; i < (args.subnets_per_network ?? 1); i++) {
      await neutron.createSubnet(network.id, { start_cidr: args.subnet_cidr_start ?? null, ...(args.subnet_create_args ?? {}) });
    }
    await neutron.listSubnets();
  },
});
