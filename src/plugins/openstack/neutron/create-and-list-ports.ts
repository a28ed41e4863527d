/** NeutronNetworks.create_and_list_ports: ports_per_network ports on the context's (or a new) network, then list all ports. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { getOrCreateNetwork, PORT_SCENARIO, type PortArgs, userNeutron } from './scenario-helpers.js';

export const createAndListPorts = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_list_ports',
  description: 'Create and a given number of ports and list all ports.',
  ...PORT_SCENARIO,
  async run(ctx, args: PortArgs) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    for (let i = 0; i < (args.ports_per_network ?? 1); i++) await neutron.createPort(network.id, args.port_create_args ?? {});
    await neutron.listPorts();
  },
});
