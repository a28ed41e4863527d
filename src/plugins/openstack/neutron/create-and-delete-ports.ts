/** NeutronNetworks.create_and_delete_ports: create and delete ports_per_network ports. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { getOrCreateNetwork, PORT_SCENARIO, type PortArgs, userNeutron } from './scenario-helpers.js';

export const createAndDeletePorts = registerOpenStackScenario({
  name: 'NeutronNetworks.create_and_delete_ports',
  description: 'Create and delete a port.',
  ...PORT_SCENARIO,
  async run(ctx, args: PortArgs) {
    const neutron = userNeutron(ctx);
    const network = await getOrCreateNetwork(ctx, neutron, args.network_create_args ?? {});
    for (let i = 0; i < (args.ports_per_network ?? 1); i++) {
      const port = await neutron.createPort(network.id, args.port_create_args ?? {});
      await neutron.deletePort(port.id);
    }
  },
});
