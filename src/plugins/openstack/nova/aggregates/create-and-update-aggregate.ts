/** NovaAggregates.create_and_update_aggregate: Create an aggregate and then update its name and availability_zone. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createAggregate, updateAggregate } from '../admin-calls.js';

registerOpenStackScenario<{ availability_zone: string }>({
  name: 'NovaAggregates.create_and_update_aggregate',
  description: 'Create an aggregate and then update its name and availability_zone.',
  schema: { type: 'object', properties: { availability_zone: { type: 'string' } }, required: ['availability_zone'], additionalProperties: false },
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const aggregate = await createAggregate(ctx, admin, randomName(ctx, 'scenario'), args.availability_zone);
    await updateAggregate(ctx, admin, aggregate, randomName(ctx, 'scenario'), randomName(ctx, 'scenario'));
  },
});
