/** CinderVolumeTypes.create_and_delete_volume_type: create a volume type, then delete it (admin). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { adminCinder, CINDER_ADMIN_CLEANUP } from './scenario-helpers.js';
import { VOLUME_TYPE_ARGS, type VolumeTypeArgs } from './volume-types.js';

export const createAndDeleteVolumeType = registerOpenStackScenario({
  name: 'CinderVolumeTypes.create_and_delete_volume_type',
  description: 'Create and delete a volume Type.',
  schema: { type: 'object', properties: VOLUME_TYPE_ARGS, additionalProperties: false },
  defaultContexts: CINDER_ADMIN_CLEANUP,
  async run(ctx, { description = null, is_public = true }: VolumeTypeArgs) {
    const cinder = adminCinder(ctx);
    const type = await cinder.createVolumeType({ description, is_public });
    await cinder.deleteVolumeType(type.id);
  },
});
