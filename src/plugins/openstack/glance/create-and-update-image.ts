/** GlanceImages.create_and_update_image: create an image, then update its name, min_disk, min_ram and properties. */
import { randomName } from '../names.js';
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';
import { updateImage } from './service.js';

interface CreateAndUpdateArgs extends Omit<ImageCreateArgs, 'min_disk' | 'min_ram' | 'properties'> {
  remove_props?: string[] | null;
  create_min_disk?: number;
  create_min_ram?: number;
  create_properties?: Record<string, unknown> | null;
  update_min_disk?: number;
  update_min_ram?: number;
}

registerOpenStackScenario<CreateAndUpdateArgs>({
  name: 'GlanceImages.create_and_update_image',
  description: 'Create an image then update it.',
  schema: imageCreateSchema(
    {
      remove_props: { type: ['array', 'null'], items: { type: 'string' } },
      create_properties: { type: ['object', 'null'] },
      update_min_disk: { type: 'integer', minimum: 0 },
      update_min_ram: { type: 'integer', minimum: 0 },
    },
    { minNames: ['create_min_disk', 'create_min_ram'], withProperties: false },
  ),
  defaultContexts: { cleanup: ['glance'] },
  async run(ctx, args) {
    const image = await createScenarioImage(ctx, args, {
      minDisk: args.create_min_disk ?? 0,
      minRam: args.create_min_ram ?? 0,
      properties: args.create_properties ?? null,
    });
    await updateImage(ctx, scenarioUser(ctx).session, image.id, {
      name: randomName(ctx, 'scenario'),
      minDisk: args.update_min_disk ?? 0,
      minRam: args.update_min_ram ?? 0,
      ...(args.remove_props ? { removeProps: args.remove_props } : {}),
    });
  },
});
