/** NovaAvailabilityZones.list_availability_zones: list availability zones (admin). */
import { adminSession, registerOpenStackScenario } from '../scenario-base.js';
import { listAvailabilityZones } from './admin-calls.js';

registerOpenStackScenario<{ detailed?: boolean }>({
  name: 'NovaAvailabilityZones.list_availability_zones',
  description: 'List all availability zones.',
  schema: { type: 'object', properties: { detailed: { type: 'boolean' } }, additionalProperties: false },
  async run(ctx, args) {
    await listAvailabilityZones(ctx, adminSession(ctx), args.detailed ?? true);
  },
});
