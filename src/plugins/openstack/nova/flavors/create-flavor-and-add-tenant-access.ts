/** NovaFlavors.create_flavor_and_add_tenant_access: Create a flavor and add a tenant to the flavor access list. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createFlavor, flavorArgsSchema, type FlavorArgs, addTenantAccess } from '../flavors.js';

registerOpenStackScenario<FlavorArgs>({
  name: 'NovaFlavors.create_flavor_and_add_tenant_access',
  description: 'Create a flavor and add a tenant to the flavor access list.',
  schema: flavorArgsSchema(),
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const flavor = await createFlavor(ctx, admin, randomName(ctx, 'scenario'), args);
    await addTenantAccess(ctx, admin, flavor.id, scenarioUser(ctx).tenant.id);
  },
});
