/** CinderVolumes.create_and_list_snapshots: snapshot a context volume, then list snapshots. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, contextVolume, userCinder } from './scenario-helpers.js';

export const createAndListSnapshots = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_list_snapshots',
  description: 'Create and then list a volume-snapshot.',
  schema: { type: 'object', properties: { force: { type: 'boolean' }, detailed: { type: 'boolean' } }, additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { force = false, detailed = true, ...kwargs }: { force?: boolean; detailed?: boolean; [key: string]: unknown }) {
    const volume = contextVolume(ctx);
    const cinder = userCinder(ctx);
    await cinder.createSnapshot(volume.id, { ...kwargs, force });
    await cinder.listSnapshots(detailed);
  },
});
