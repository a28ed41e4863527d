/** NeutronNetworks.create_and_update_ports: create and update ports_per_network ports. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { allOf, getOrCreateNetwork, NEUTRON_CLEANUP, PORT_ARGS, positiveIntegerArg, restrictedNameIn, userNeutron, type PortArgs } from './scenario-helpers.js';

export const createAndUpdatePorts = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_update_ports',
  description: 'Create and update a given number of ports.',
  schema: {
    type: 'object',
    properties: { port_update_args: { type: 'object' }, ...PORT_ARGS },
    required: ['port_update_args'],
    additionalProperties: false,
  },
  validateConfig: allOf(restrictedNameIn('network_create_args', 'port_create_args', 'port_update_args'), positiveIntegerArg('ports_per_network')),
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, args: PortArgs & { port_update_args: Record<string, unknown> }) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    for (let i = 0; i < (args.ports_per_network ?? 1); i++) {
      const port = await neutron.createPort(network.id, args.port_create_args ?? {});
      await neutron.updatePort(port.id, args.port_update_args);
    }
  },
});
