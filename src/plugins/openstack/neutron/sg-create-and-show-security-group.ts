/** NeutronSecurityGroup.create_and_show_security_group: create a security group, then show it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, userNeutron } from './scenario-helpers.js';
import { SECURITY_GROUP_CREATE_ARGS } from './security-groups.js';

export const createAndShowSecurityGroup = registerOpenStackScenario({
  name: 'NeutronSecurityGroup.create_and_show_security_group',
  description: 'Create and show Neutron security-group.',
  schema: { type: 'object', properties: SECURITY_GROUP_CREATE_ARGS, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { security_group_create_args }: { security_group_create_args?: Record<string, unknown> | null }) {
    const neutron = userNeutron(ctx);
    const group = await neutron.createSecurityGroup({ ...(security_group_create_args ?? {}), name: undefined });
    await neutron.getSecurityGroup(group.id);
  },
});
