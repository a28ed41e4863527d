/** CinderVolumes.create_and_delete_snapshot: snapshot a context volume, idle, delete the snapshot. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, contextVolume, userCinder } from './scenario-helpers.js';

export const createAndDeleteSnapshot = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_delete_snapshot',
  description: 'Create and then delete a volume-snapshot.',
  schema: { type: 'object', properties: { force: { type: 'boolean' }, min_sleep: { type: 'number' }, max_sleep: { type: 'number' } }, additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { force = false, min_sleep = 0, max_sleep = 0, ...kwargs }: { force?: boolean; min_sleep?: number; max_sleep?: number; [key: string]: unknown }) {
    const volume = contextVolume(ctx);
    const cinder = userCinder(ctx);
    const snapshot = await cinder.createSnapshot(volume.id, { ...kwargs, force });
    await ctx.sleepBetween(min_sleep, max_sleep);
    await cinder.deleteSnapshot(snapshot);
  },
});
