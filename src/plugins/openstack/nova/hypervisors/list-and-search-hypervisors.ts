/** NovaHypervisors.list_and_search_hypervisors: list hypervisors, then search each by hostname. */
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { listHypervisors, searchHypervisors } from '../admin-calls.js';

registerOpenStackScenario<{ detailed?: boolean }>({
  name: 'NovaHypervisors.list_and_search_hypervisors',
  description: 'List all servers belonging to specific hypervisor.',
  schema: { type: 'object', properties: { detailed: { type: 'boolean' } }, additionalProperties: false },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    for (const hypervisor of await listHypervisors(ctx, admin, args.detailed ?? true)) {
      await searchHypervisors(ctx, admin, hypervisor.hypervisor_hostname);
    }
  },
});
