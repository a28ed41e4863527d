/** GlanceImages.create_and_download_image: create an image, then download its data. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';
import { downloadImage } from './service.js';

registerOpenStackScenario<ImageCreateArgs>({
  name: 'GlanceImages.create_and_download_image',
  description: 'Create an image, then download data of the image.',
  schema: imageCreateSchema(),
  defaultContexts: { cleanup: ['glance'] },
  async run(ctx, args) {
    const image = await createScenarioImage(ctx, args);
    await downloadImage(ctx, scenarioUser(ctx).session, image.id);
  },
});
