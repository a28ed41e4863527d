/** NovaAggregates.create_aggregate_add_and_remove_host: Create an aggregate, add a host to and remove the host from it. */
import { RallyException } from '../../../../engine/exceptions.js';
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createAggregate, aggregateAddHost, aggregateRemoveHost, listHypervisors } from '../admin-calls.js';

registerOpenStackScenario<{ availability_zone: string }>({
  name: 'NovaAggregates.create_aggregate_add_and_remove_host',
  description: 'Create an aggregate, add a host to and remove the host from it.',
  schema: { type: 'object', properties: { availability_zone: { type: 'string' } }, required: ['availability_zone'], additionalProperties: false },
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const aggregate = await createAggregate(ctx, admin, randomName(ctx, 'scenario'), args.availability_zone);
    const hosts = await listHypervisors(ctx, admin);
    const hostName = hosts[0]?.service?.host;
    if (!hostName) throw new RallyException('no hypervisor to add to the aggregate');
    await aggregateAddHost(ctx, admin, aggregate, hostName);
    await aggregateRemoveHost(ctx, admin, aggregate, hostName);
  },
});
