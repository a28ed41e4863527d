/** KeystoneBasic.create_and_list_roles: create a role, list roles, check the new one is listed. */
import { ScenarioError } from '../../../engine/exceptions.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

interface Args {
  create_role_kwargs?: { name?: string; domain_name?: string } | null;
  list_role_kwargs?: { user_id?: string; project_id?: string; domain_name?: string } | null;
}

export const createAndListRolesScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_list_roles',
  description: 'Create a role, then list all roles.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: {
    type: 'object',
    properties: { create_role_kwargs: { type: ['object', 'null'] }, list_role_kwargs: { type: ['object', 'null'] } },
    additionalProperties: false,
  },
  async run(ctx, { create_role_kwargs, list_role_kwargs }: Args) {
    const keystone = adminKeystone(ctx);
    const role = await keystone.createRole(create_role_kwargs ?? {});
    const all = await keystone.listRoles(list_role_kwargs ?? {});
    if (!all.some((r) => r.id === role.id)) {
      throw new ScenarioError('RallyAssertionError', 'Created role is not in the list of all available roles');
    }
  },
});
