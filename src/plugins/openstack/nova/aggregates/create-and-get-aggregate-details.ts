/** NovaAggregates.create_and_get_aggregate_details: Create an aggregate and then get its details. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createAggregate, getAggregateDetails } from '../admin-calls.js';

registerOpenStackScenario<{ availability_zone: string }>({
  name: 'NovaAggregates.create_and_get_aggregate_details',
  description: 'Create an aggregate and then get its details.',
  schema: { type: 'object', properties: { availability_zone: { type: 'string' } }, required: ['availability_zone'], additionalProperties: false },
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const aggregate = await createAggregate(ctx, admin, randomName(ctx, 'scenario'), args.availability_zone);
    await getAggregateDetails(ctx, admin, aggregate);
  },
});
