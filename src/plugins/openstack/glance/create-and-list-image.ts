/** GlanceImages.create_and_list_image: create an image, then list images and find it. */
import { RallyException } from '../../../engine/exceptions.js';
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';
import { listImages } from './service.js';

registerOpenStackScenario<ImageCreateArgs>({
  name: 'GlanceImages.create_and_list_image',
  description: 'Create an image and then list all images.',
  schema: imageCreateSchema(),
  defaultContexts: { cleanup: ['glance'] },
  async run(ctx, args) {
    const image = await createScenarioImage(ctx, args);
    const images = await listImages(ctx, scenarioUser(ctx).session);
    if (!images.some((listed) => listed.id === image.id)) {
      throw new RallyException(`${image.id} not found in the list of images`, 'AssertionError');
    }
  },
});
