/** NovaServices.list_services: list Nova services (admin). */
import { adminSession, registerOpenStackScenario } from '../scenario-base.js';
import { listServices } from './admin-calls.js';

registerOpenStackScenario<{ host?: string | null; binary?: string | null }>({
  name: 'NovaServices.list_services',
  description: 'List all nova services.',
  schema: { type: 'object', properties: { host: { type: ['string', 'null'] }, binary: { type: ['string', 'null'] } }, additionalProperties: false },
  async run(ctx, args) {
    await listServices(ctx, adminSession(ctx), args.host, args.binary);
  },
});
