/** NeutronNetworks.create_and_show_routers: a network, subnets and a router per subnet, then show each router. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, createRouterTopology, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, ROUTER_ARGS, userNeutron, type RouterArgs } from './scenario-helpers.js';

export const createAndShowRouters = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_show_routers',
  description: 'Create and show a given number of routers.',
  schema: { type: 'object', properties: ROUTER_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'subnet_create_args', 'router_create_args'), positiveIntegerArg('subnets_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: RouterArgs) {
    const neutron = userNeutron(ctx);
    const topology = await createRouterTopology(neutron, args);
    for (const router of topology.routers) await neutron.getRouter(router.id);
  },
});
