/** NovaFlavors.create_flavor: Create a flavor. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createFlavor, flavorArgsSchema, type FlavorArgs } from '../flavors.js';

registerOpenStackScenario<FlavorArgs>({
  name: 'NovaFlavors.create_flavor',
  description: 'Create a flavor.',
  schema: flavorArgsSchema(),
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    await createFlavor(ctx, admin, randomName(ctx, 'scenario'), args);
  },
});
