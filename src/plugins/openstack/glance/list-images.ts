/** GlanceImages.list_images: list the images the user sees. */
import { registerOpenStackScenario, scenarioUser } from '../scenario-base.js';
import { listImages } from './service.js';

registerOpenStackScenario({
  name: 'GlanceImages.list_images',
  description: 'List all images.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    await listImages(ctx, scenarioUser(ctx).session);
  },
});
