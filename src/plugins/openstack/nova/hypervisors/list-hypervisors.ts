/** NovaHypervisors.list_hypervisors: list hypervisors (admin). */
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { listHypervisors } from '../admin-calls.js';

registerOpenStackScenario<{ detailed?: boolean }>({
  name: 'NovaHypervisors.list_hypervisors',
  description: 'List hypervisors.',
  schema: { type: 'object', properties: { detailed: { type: 'boolean' } }, additionalProperties: false },
  async run(ctx, args) {
    await listHypervisors(ctx, adminSession(ctx), args.detailed ?? true);
  },
});
