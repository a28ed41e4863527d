/** NeutronNetworks.create_and_delete_routers: a network, subnets and a router per subnet, then unplug and delete each router. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, createRouterTopology, NEUTRON_CLEANUP, positiveIntegerArg, restrictedNameIn, ROUTER_ARGS, userNeutron, type RouterArgs } from './scenario-helpers.js';

export const createAndDeleteRouters = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_delete_routers',
  description: 'Create and delete a given number of routers.',
  schema: { type: 'object', properties: ROUTER_ARGS, additionalProperties: false },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'subnet_create_args', 'router_create_args'), positiveIntegerArg('subnets_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: RouterArgs) {
    const neutron = userNeutron(ctx);
    const topology = await createRouterTopology(neutron, args);
    for (let i = 0; i < (args.subnets_per_network ?? 1); i++) {
      const router = topology.routers[i]!;
      await neutron.removeInterfaceFromRouter(router.id, { subnet_id: topology.subnets[i]!.id });
      await neutron.deleteRouter(router.id);
    }
  },
});
