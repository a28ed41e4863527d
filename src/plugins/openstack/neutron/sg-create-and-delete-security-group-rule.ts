/** NeutronSecurityGroup.create_and_delete_security_group_rule: a security group and a rule, then delete both. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { NEUTRON_CLEANUP, userNeutron } from './scenario-helpers.js';
import { SECURITY_GROUP_RULE_ARGS, type SecurityGroupRuleArgs } from './security-groups.js';

export const createAndDeleteSecurityGroupRule = registerOpenStackScenario({
  name: 'NeutronSecurityGroup.create_and_delete_security_group_rule',
  description: 'Create and delete Neutron security-group-rule.',
  schema: { type: 'object', properties: SECURITY_GROUP_RULE_ARGS, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { security_group_args, security_group_rule_args }: SecurityGroupRuleArgs) {
    const neutron = userNeutron(ctx);
    const group = await neutron.createSecurityGroup({ ...(security_group_args ?? {}), name: undefined });
    const rule = await neutron.createSecurityGroupRule(group.id, security_group_rule_args ?? {});
    await neutron.deleteSecurityGroupRule(rule.id);
    await neutron.deleteSecurityGroup(group.id);
  },
});
