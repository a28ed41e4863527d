/** GlanceImages.create_and_get_image: create an image, then get it by id. */
import { RallyException } from '../../../engine/exceptions.js';
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { createScenarioImage, imageCreateSchema, type ImageCreateArgs } from './create-args.js';
import { getImage } from './service.js';

registerOpenStackScenario<ImageCreateArgs>({
  name: 'GlanceImages.create_and_get_image',
  description: 'Create and get detailed information of an image.',
  schema: imageCreateSchema(),
  defaultContexts: { cleanup: ['glance'] },
  async run(ctx, args) {
    const image = await createScenarioImage(ctx, args);
    const fetched = await getImage(ctx, scenarioUser(ctx).session, image.id);
    if (fetched.id !== image.id) throw new RallyException(`${image.id} != ${fetched.id}`, 'AssertionError');
  },
});
