/** CinderVolumes.create_and_extend_volume: create a volume, extend it, idle, delete it. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

export const createAndExtendVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_extend_volume',
  description: 'Create and extend a volume and then delete it.',
  schema: { type: 'object', properties: { size: SIZE_SCHEMA, new_size: SIZE_SCHEMA, min_sleep: { type: 'number' }, max_sleep: { type: 'number' } }, required: ['size', 'new_size'], additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, new_size, min_sleep = 0, max_sleep = 0, ...kwargs }: { size: SizeArg; new_size: SizeArg; min_sleep?: number; max_sleep?: number; [key: string]: unknown }) {
    const cinder = userCinder(ctx);
    const volume = await cinder.createVolume(size, kwargs);
    await cinder.extendVolume(volume, new_size);
    await ctx.sleepBetween(min_sleep, max_sleep);
    await cinder.deleteVolume(volume);
  },
});
