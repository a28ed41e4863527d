/** What the NeutronSecurityGroup scenarios share: their args' schema. */
import { requestArgs } from './scenario-helpers.js';

export const SECURITY_GROUP_CREATE_ARGS = { security_group_create_args: requestArgs } as const;
export const SECURITY_GROUP_RULE_ARGS = { security_group_args: requestArgs, security_group_rule_args: requestArgs } as const;

export interface SecurityGroupRuleArgs {
  security_group_args?: Record<string, unknown> | null;
  security_group_rule_args?: Record<string, unknown> | null;
}
