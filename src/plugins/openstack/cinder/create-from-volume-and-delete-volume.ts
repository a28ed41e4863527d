/** CinderVolumes.create_from_volume_and_delete_volume: clone a context volume, idle, delete the clone. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, contextVolume, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

export const createFromVolumeAndDeleteVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_from_volume_and_delete_volume',
  description: 'Create volume from volume and then delete it.',
  schema: { type: 'object', properties: { size: SIZE_SCHEMA, min_sleep: { type: 'number' }, max_sleep: { type: 'number' } }, required: ['size'], additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, min_sleep = 0, max_sleep = 0, ...kwargs }: { size: SizeArg; min_sleep?: number; max_sleep?: number; [key: string]: unknown }) {
    const source = contextVolume(ctx);
    const cinder = userCinder(ctx);
    const volume = await cinder.createVolume(size, { ...kwargs, source_volid: source.id });
    await ctx.sleepBetween(min_sleep, max_sleep);
    await cinder.deleteVolume(volume);
  },
});
