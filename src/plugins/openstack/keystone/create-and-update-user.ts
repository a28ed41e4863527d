/** KeystoneBasic.create_and_update_user: create a user, update it, check the update took. */
import { ScenarioError } from '../../../engine/exceptions.js';
import { identity } from '../../../openstack/index.js';
import type { CreateUserOptions, UpdateUserOptions } from './keystone-service.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createAndUpdateUserScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_update_user',
  description: 'Create user and update the user.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: {
    type: 'object',
    properties: { create_user_kwargs: { type: ['object', 'null'] }, update_user_kwargs: { type: ['object', 'null'] } },
    additionalProperties: false,
  },
  async run(ctx, { create_user_kwargs, update_user_kwargs }: { create_user_kwargs?: CreateUserOptions | null; update_user_kwargs?: UpdateUserOptions | null }) {
    const keystone = adminKeystone(ctx);
    const user = await keystone.createUser(create_user_kwargs ?? {});
    const updates = update_user_kwargs ?? {};
    await keystone.updateUser(user.id, updates);
    // Rally reads the user back outside any atomic action and compares each updated attribute.
    const current = (await identity.getUser(keystone.session, user.id, { signal: ctx.signal })) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(updates)) {
      if (current[key] !== value) throw new ScenarioError('RallyAssertionError', `${key} isn't updated`);
    }
  },
});
