/**
 * NeutronSubnets.delete_subnets: each user deletes "its" subnet (by the user's position in its
 * project) of every network the `network` context made in the project.
 */
import { registerOpenStackScenario } from '../scenario-base.js';
import type { Network } from '../../../openstack/network.js';
import { scenarioUser } from '../scenario-base.js';
import { NEUTRON_CLEANUP, userNeutron } from './scenario-helpers.js';

export const deleteSubnets = registerOpenStackScenario({
  name: 'NeutronSubnets.delete_subnets',
  description: 'Delete a subnet that belongs to each precreated network.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx) {
    const { user, tenant } = scenarioUser(ctx);
    const networks = tenant['networks'] as Network[] | undefined;
    if (!networks) throw new Error('NeutronSubnets.delete_subnets needs the network context');
    const number = tenant.userIds.indexOf(user.id);
    const neutron = userNeutron(ctx);
    for (const network of networks) {
      const subnetId = network.subnets[number];
      if (subnetId === undefined) throw new Error(`network ${network.id} has no subnet number ${number}`);
      await neutron.deleteSubnet(subnetId);
    }
  },
});
