/** NeutronSecurityGroup.create_and_update_security_groups: create a security group, then update it (new random name). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { randomName } from '../names.js';
import { NEUTRON_CLEANUP, requestArgs, userNeutron } from './scenario-helpers.js';
import { SECURITY_GROUP_CREATE_ARGS } from './security-groups.js';

interface Args {
  security_group_create_args?: Record<string, unknown> | null;
  security_group_update_args?: Record<string, unknown> | null;
}

export const createAndUpdateSecurityGroups = registerOpenStackScenario({
  name: 'NeutronSecurityGroup.create_and_update_security_groups',
  description: 'Create and update Neutron security-groups.',
  schema: { type: 'object', properties: { ...SECURITY_GROUP_CREATE_ARGS, security_group_update_args: requestArgs }, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { security_group_create_args, security_group_update_args }: Args) {
    const neutron = userNeutron(ctx);
    const group = await neutron.createSecurityGroup({ ...(security_group_create_args ?? {}), name: undefined });
    await neutron.updateSecurityGroup(group.id, { ...(security_group_update_args ?? {}), name: randomName(ctx, 'scenario') });
  },
});
