/** NovaHypervisors.list_and_get_hypervisors: list hypervisors, then get each one. */
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { getHypervisor, listHypervisors } from '../admin-calls.js';

registerOpenStackScenario<{ detailed?: boolean }>({
  name: 'NovaHypervisors.list_and_get_hypervisors',
  description: 'List and Get hypervisors.',
  schema: { type: 'object', properties: { detailed: { type: 'boolean' } }, additionalProperties: false },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    for (const hypervisor of await listHypervisors(ctx, admin, args.detailed ?? true)) await getHypervisor(ctx, admin, hypervisor);
  },
});
