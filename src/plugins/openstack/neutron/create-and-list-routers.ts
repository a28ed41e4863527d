/** NeutronNetworks.create_and_list_routers: a network, subnets and a router per subnet, then list all routers. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, createRouterTopology, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, ROUTER_ARGS, userNeutron, type RouterArgs } from './scenario-helpers.js';

export const createAndListRouters = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_list_routers',
  description: 'Create and a given number of routers and list all routers.',
  schema: { type: 'object', properties: ROUTER_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'subnet_create_args', 'router_create_args'), positiveIntegerArg('subnets_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: RouterArgs) {
    const neutron = userNeutron(ctx);
    await createRouterTopology(neutron, args);
    await neutron.listRouters();
  },
});
