/** Authenticate.keystone: the iteration's user gets a new token (a fresh client authenticates). */
import { identity } from '../../../openstack/index.js';
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';

export const authenticateKeystoneScenario = registerOpenStackScenario({
  name: 'Authenticate.keystone',
  description: 'Check Keystone Client.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const { session } = scenarioUser(ctx);
    await ctx.atomic('authenticate.keystone', () => identity.authenticate(session, session.auth, { signal: ctx.signal }));
  },
});
