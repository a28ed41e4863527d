/** NeutronSecurityGroup.create_and_list_security_groups: create a security group, then list them all. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, userNeutron } from './scenario-helpers.js';
import { SECURITY_GROUP_CREATE_ARGS } from './security-groups.js';

export const createAndListSecurityGroups = registerOpenStackScenario({
  name: 'NeutronSecurityGroup.create_and_list_security_groups',
  description: 'Create and list Neutron security-groups.',
  schema: { type: 'object', properties: SECURITY_GROUP_CREATE_ARGS, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { security_group_create_args }: { security_group_create_args?: Record<string, unknown> | null }) {
    const neutron = userNeutron(ctx);
    // Rally's _create_security_group replaces any given name with a random one
    await neutron.createSecurityGroup({ ...(security_group_create_args ?? {}), name: undefined });
    await neutron.listSecurityGroups();
  },
});
