/** NeutronNetworks.create_and_show_ports: create ports_per_network ports and show each. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { getOrCreateNetwork, PORT_SCENARIO, type PortArgs, userNeutron } from './scenario-helpers.js';

export const createAndShowPorts = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_show_ports',
  description: 'Create a given number of ports and show created ports in trun.',
  ...PORT_SCENARIO,
  async run(ctx, args: PortArgs) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    for (let i = 0; i < (args.ports_per_network ?? 1); i++) {
      const port = await neutron.createPort(network.id, args.port_create_args ?? {});
      await neutron.getPort(port.id);
    }
  },
});
