/** NovaFlavors.create_and_get_flavor: Create flavor and get detailed information of the flavor. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createFlavor, flavorArgsSchema, type FlavorArgs, getFlavor } from '../flavors.js';

registerOpenStackScenario<FlavorArgs>({
  name: 'NovaFlavors.create_and_get_flavor',
  description: 'Create flavor and get detailed information of the flavor.',
  schema: flavorArgsSchema(),
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const flavor = await createFlavor(ctx, admin, randomName(ctx, 'scenario'), args);
    await getFlavor(ctx, admin, flavor.id);
  },
});
