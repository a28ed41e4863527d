/**
 * NeutronSecurityGroup.create_and_list_security_group_rules: a security group with
 * security_group_rules_count rules (port i+1 each), then list all rules and check ours are there.
 */
import { registerOpenStackScenario } from '../scenario-base.js';
import { RallyException } from '../../../engine/exceptions.js';
import type { SecurityGroupRule } from '../../../openstack/network.js';
import { NEUTRON_CLEANUP, userNeutron } from './scenario-helpers.js';
import { SECURITY_GROUP_RULE_ARGS, type SecurityGroupRuleArgs } from './security-groups.js';

export const createAndListSecurityGroupRules = registerOpenStackScenario({
  name: 'NeutronSecurityGroup.create_and_list_security_group_rules',
  description: 'Create and list Neutron security-group-rules.',
  schema: { type: 'object', properties: { security_group_rules_count: { type: 'integer' }, ...SECURITY_GROUP_RULE_ARGS }, additionalProperties: false },
  defaultContexts: NEUTRON_CLEANUP,
  async run(ctx, { security_group_rules_count = 1, security_group_args, security_group_rule_args }: SecurityGroupRuleArgs & { security_group_rules_count?: number }) {
    const neutron = userNeutron(ctx);
    const group = await neutron.createSecurityGroup({ ...(security_group_args ?? {}), name: undefined });
    const rules: SecurityGroupRule[] = [];
    for (let rule = 0; rule < security_group_rules_count; rule++) {
      const ruleArgs = { ...(security_group_rule_args ?? {}), port_range_min: rule + 1, port_range_max: rule + 1 };
      rules.push(await neutron.createSecurityGroupRule(group.id, ruleArgs));
    }
    const listed = new Set((await neutron.listSecurityGroupRules()).map((r) => r.id));
    for (const rule of rules) {
      if (!listed.has(rule.id)) throw new RallyException(`${rule.id} not found in the listed security group rules`, 'AssertionError');
    }
  },
});
