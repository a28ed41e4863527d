/** NovaHypervisors.statistics_hypervisors: get the hypervisors' statistics. */
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { statisticsHypervisors } from '../admin-calls.js';

registerOpenStackScenario({
  name: 'NovaHypervisors.statistics_hypervisors',
  description: 'Get hypervisor statistics over all compute nodes.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    await statisticsHypervisors(ctx, adminSession(ctx));
  },
});
