/** GlanceImages.create_image_and_boot_instances: create an image, then boot `number_instances` servers from it. */
import { randomName } from '../names.js';
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { RESOURCE_SPEC_SCHEMA, scenarioFlavor, type ResourceSpec } from '../nova/resource-types.js';
import { bootServers, chooseNics, type BootOptions } from '../nova/service.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';

interface Args extends ImageCreateArgs {
  flavor: ResourceSpec;
  number_instances: number;
  boot_server_kwargs?: (BootOptions & { auto_assign_nic?: boolean }) | null;
}

registerOpenStackScenario<Args>({
  name: 'GlanceImages.create_image_and_boot_instances',
  description: 'Create an image and boot several instances from it.',
  schema: imageCreateSchema(
    { flavor: RESOURCE_SPEC_SCHEMA, number_instances: { type: 'integer', minimum: 1 }, boot_server_kwargs: { type: ['object', 'null'] } },
    { required: ['flavor', 'number_instances'] },
  ),
  defaultContexts: { cleanup: ['glance', 'nova'] },
  async run(ctx, args) {
    const flavorId = await scenarioFlavor(ctx, args.flavor);
    const image = await createScenarioImage(ctx, args);
    const { session, tenant } = scenarioUser(ctx);
    const { auto_assign_nic: autoAssignNic = false, ...kwargs } = args.boot_server_kwargs ?? {};
    const nics = chooseNics(kwargs, tenant, ctx.iteration, autoAssignNic);
    const options: BootOptions = { ...kwargs };
    if (Array.isArray(nics) && (kwargs.nics !== undefined || autoAssignNic)) options.nics = nics;
    await bootServers(ctx, session, randomName(ctx, 'scenario'), image.id, flavorId, args.number_instances, 1, options);
  },
});
