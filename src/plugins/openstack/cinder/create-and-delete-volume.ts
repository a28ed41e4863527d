/** CinderVolumes.create_and_delete_volume: create a volume, idle, delete it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, refuseImage, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

export const createAndDeleteVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_delete_volume',
  description: 'Create and then delete a volume.',
  schema: { type: 'object', properties: { size: SIZE_SCHEMA, image: {}, min_sleep: { type: 'number' }, max_sleep: { type: 'number' } }, required: ['size'], additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, image, min_sleep = 0, max_sleep = 0, ...kwargs }: { size: SizeArg; image?: unknown; min_sleep?: number; max_sleep?: number; [key: string]: unknown }) {
    refuseImage(image);
    const cinder = userCinder(ctx);
    const volume = await cinder.createVolume(size, kwargs);
    await ctx.sleepBetween(min_sleep, max_sleep);
    await cinder.deleteVolume(volume);
  },
});
