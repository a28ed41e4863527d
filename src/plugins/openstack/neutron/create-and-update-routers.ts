/** NeutronNetworks.create_and_update_routers: a network, subnets and a router per subnet, then update each router. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, createRouterTopology, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, ROUTER_ARGS, userNeutron, type RouterArgs } from './scenario-helpers.js';

export const createAndUpdateRouters = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_update_routers',
  description: 'Create and update a given number of routers.',
  schema: {
    type: 'object',
    properties: { router_update_args: { type: 'object' }, ...ROUTER_ARGS },
    required: ['router_update_args'],
    additionalProperties: false,
  },
  validateConfig: allOf(
    restrictedNameIn('network_create_args', 'subnet_create_args', 'router_create_args', 'router_update_args'),
    positiveIntegerArg('subnets_per_network'),
  ),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: RouterArgs & { router_update_args: Record<string, unknown> }) {
    const neutron = userNeutron(ctx);
    const topology = await createRouterTopology(neutron, args);
    for (const router of topology.routers) await neutron.updateRouter(router.id, args.router_update_args);
  },
});
