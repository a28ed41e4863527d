/** GlanceImages.create_and_delete_image: create an image, then delete it. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';
import { deleteImage } from './service.js';

registerOpenStackScenario<ImageCreateArgs>({
  name: 'GlanceImages.create_and_delete_image',
  description: 'Create and then delete an image.',
  schema: imageCreateSchema(),
  defaultContexts: { cleanup: ['glance'] },
  async run(ctx, args) {
    const image = await createScenarioImage(ctx, args);
    await deleteImage(ctx, scenarioUser(ctx).session, image.id);
  },
});
