/** NovaFlavors.create_flavor_and_set_keys: Create flavor and set keys to the flavor. */
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario } from '../../scenario-base.js';
import { createFlavor, flavorArgsSchema, type FlavorArgs, setFlavorKeys } from '../flavors.js';

registerOpenStackScenario<FlavorArgs & { extra_specs: Record<string, unknown> }>({
  name: 'NovaFlavors.create_flavor_and_set_keys',
  description: 'Create flavor and set keys to the flavor.',
  schema: flavorArgsSchema({ extra_specs: { type: 'object' } }, ['extra_specs']),
  defaultContexts: { admin_cleanup: ['nova'] },
  async run(ctx, args) {
    const admin = adminSession(ctx);
    const { extra_specs: extraSpecs, ...flavorArgs } = args;
    const flavor = await createFlavor(ctx, admin, randomName(ctx, 'scenario'), flavorArgs);
    await setFlavorKeys(ctx, admin, flavor.id, extraSpecs);
  },
});
