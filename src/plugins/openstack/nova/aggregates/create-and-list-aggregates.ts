/** NovaAggregates.create_and_list_aggregates: Create a aggregate and then list all aggregates. */
import { RallyException } from '../../../../engine/exceptions.js';
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createAggregate, listAggregates } from '../admin-calls.js';

registerOpenStackScenario<{ availability_zone: string }>({
  name: 'NovaAggregates.create_and_list_aggregates',
  description: 'Create a aggregate and then list all aggregates.',
  schema: { type: 'object', properties: { availability_zone: { type: 'string' } }, required: ['availability_zone'], additionalProperties: false },
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const aggregate = await createAggregate(ctx, admin, randomName(ctx, 'scenario'), args.availability_zone);
    const aggregates = await listAggregates(ctx, admin);
    if (!aggregates.some((listed) => listed.id === aggregate.id)) {
      throw new RallyException('Created aggregate is not in the list of all available aggregates', 'AssertionError');
    }
  },
});
