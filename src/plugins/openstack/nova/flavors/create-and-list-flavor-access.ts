/** NovaFlavors.create_and_list_flavor_access: Create a non-public flavor and list its access rules. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createFlavor, flavorArgsSchema, type FlavorArgs, listFlavorAccess } from '../flavors.js';

registerOpenStackScenario<FlavorArgs>({
  name: 'NovaFlavors.create_and_list_flavor_access',
  description: 'Create a non-public flavor and list its access rules.',
  schema: flavorArgsSchema(),
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    // access rules exist only for non-public flavors: Rally forces is_public to false
    const flavor = await createFlavor(ctx, admin, randomName(ctx, 'scenario'), { ...args, is_public: false });
    await listFlavorAccess(ctx, admin, flavor.id);
  },
});
