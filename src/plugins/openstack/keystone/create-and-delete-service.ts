/** KeystoneBasic.create_and_delete_service: create a service and delete it. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

interface Args {
  name?: string | null;
  service_type?: string | null;
  description?: string | null;
}

export const createAndDeleteServiceScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_delete_service',
  description: 'Create and delete service.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: {
    type: 'object',
    properties: { name: { description: 'ignored (deprecated)' }, service_type: { type: ['string', 'null'] }, description: { type: ['string', 'null'] } },
    additionalProperties: false,
  },
  async run(ctx, { service_type = null, description = null }: Args) {
    const keystone = adminKeystone(ctx);
    const service = await keystone.createService({ service_type, description });
    await keystone.deleteService(service.id);
  },
});
