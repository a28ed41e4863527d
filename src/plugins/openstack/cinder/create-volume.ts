/** CinderVolumes.create_volume: create a volume (waits until available). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, refuseImage, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

export const createVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_volume',
  description: 'Create a volume.',
  schema: { type: 'object', properties: { size: SIZE_SCHEMA, image: {} }, required: ['size'], additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, image, ...kwargs }: { size: SizeArg; image?: unknown; [key: string]: unknown }) {
    refuseImage(image);
    await userCinder(ctx).createVolume(size, kwargs);
  },
});
