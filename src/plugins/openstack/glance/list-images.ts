/** GlanceImages.list_images: list the images the user sees. */
import { registerScenario } from '../../../engine/scenario.js';
import { scenarioUser } from '../scenario-base.js';
import { listImages } from './service.js';

registerScenario({
  name: 'GlanceImages.list_images',
  platform: 'openstack',
  description: 'List all images.',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  async run(ctx) {
    await listImages(ctx, scenarioUser(ctx).session);
  },
});
