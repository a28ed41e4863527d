/** GlanceImages.create_and_deactivate_image: create an image, then deactivate it (Glance v2 only). */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';
import { deactivateImage } from './service.js';

registerOpenStackScenario<Omit<ImageCreateArgs, 'properties'>>({
  name: 'GlanceImages.create_and_deactivate_image',
  description: 'Create an image and deactivate it.',
  schema: imageCreateSchema({}, { withProperties: false }),
  defaultContexts: { cleanup: ['glance'] },
  async run(ctx, args) {
    const image = await createScenarioImage(ctx, args);
    await deactivateImage(ctx, scenarioUser(ctx).session, image.id);
  },
});
