/** NovaAggregates.list_aggregates: list all host aggregates (admin). */
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { listAggregates } from '../admin-calls.js';

registerOpenStackScenario({
  name: 'NovaAggregates.list_aggregates',
  description: 'List all nova aggregates.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    await listAggregates(ctx, adminSession(ctx));
  },
});
