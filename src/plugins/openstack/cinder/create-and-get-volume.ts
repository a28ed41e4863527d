/** CinderVolumes.create_and_get_volume: create a volume, then get it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, refuseImage, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

export const createAndGetVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_get_volume',
  description: 'Create a volume and get the volume.',
  schema: { type: 'object', properties: { size: SIZE_SCHEMA, image: {} }, required: ['size'], additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, image, ...kwargs }: { size: SizeArg; image?: unknown; [key: string]: unknown }) {
    refuseImage(image);
    const cinder = userCinder(ctx);
    const volume = await cinder.createVolume(size, kwargs);
    await cinder.getVolume(volume.id);
  },
});
