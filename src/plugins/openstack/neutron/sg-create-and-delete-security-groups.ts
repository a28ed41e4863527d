/** NeutronSecurityGroup.create_and_delete_security_groups: create a security group, then delete it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, userNeutron } from './scenario-helpers.js';
import { SECURITY_GROUP_CREATE_ARGS } from './security-groups.js';

export const createAndDeleteSecurityGroups = registerOpenStackScenario({
  name: 'NeutronSecurityGroup.create_and_delete_security_groups',
  description: 'Create and delete Neutron security-groups.',
  schema: { type: 'object', properties: SECURITY_GROUP_CREATE_ARGS, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { security_group_create_args }: { security_group_create_args?: Record<string, unknown> | null }) {
    const neutron = userNeutron(ctx);
    const group = await neutron.createSecurityGroup({ ...(security_group_create_args ?? {}), name: undefined });
    await neutron.deleteSecurityGroup(group.id);
  },
});
