/** NovaFlavors.create_and_delete_flavor: Create flavor and delete the flavor. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createFlavor, flavorArgsSchema, type FlavorArgs, deleteFlavor } from '../flavors.js';

registerOpenStackScenario<FlavorArgs>({
  name: 'NovaFlavors.create_and_delete_flavor',
  description: 'Create flavor and delete the flavor.',
  schema: flavorArgsSchema(),
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const flavor = await createFlavor(ctx, admin, randomName(ctx, 'scenario'), args);
    await deleteFlavor(ctx, admin, flavor.id);
  },
});
