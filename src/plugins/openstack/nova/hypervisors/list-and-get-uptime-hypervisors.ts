/** NovaHypervisors.list_and_get_uptime_hypervisors: list hypervisors, then the uptime of each one that is up. */
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { listHypervisors, uptimeHypervisor } from '../admin-calls.js';

registerOpenStackScenario<{ detailed?: boolean }>({
  name: 'NovaHypervisors.list_and_get_uptime_hypervisors',
  description: 'List hypervisors,then display the uptime of it.',
  schema: { type: 'object', properties: { detailed: { type: 'boolean' } }, additionalProperties: false },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    for (const hypervisor of await listHypervisors(ctx, admin, args.detailed ?? true)) {
      if (hypervisor.state === 'up') await uptimeHypervisor(ctx, admin, hypervisor);
    }
  },
});
