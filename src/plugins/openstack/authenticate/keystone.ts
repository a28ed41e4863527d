/**
 * Authenticate.keystone: the iteration's user makes a new Keystone client, with the calls Rally's
 * client creation makes (identity.authenticateAsRallyClient), so that durations compare with Rally's.
 */
import { identity } from '../../../openstack/index.js';
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';

export const authenticateKeystoneScenario = registerOpenStackScenario({
  name: 'Authenticate.keystone',
  description: 'Check Keystone Client.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    const { session } = scenarioUser(ctx);
    await ctx.atomic('authenticate.keystone', () => identity.authenticateAsRallyClient(session, session.auth, { signal: ctx.signal }));
  },
});
