/** NovaServers.list_servers: list the user's servers. */
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { listServers } from '../service.js';

registerOpenStackScenario<{ detailed?: boolean }>({
  name: 'NovaServers.list_servers',
  description: 'List all servers.',
  schema: { type: 'object', properties: { detailed: { type: 'boolean' } }, additionalProperties: false },
  async run(ctx, args) {
    await listServers(ctx, scenarioUser(ctx).session, args.detailed ?? true);
  },
});
