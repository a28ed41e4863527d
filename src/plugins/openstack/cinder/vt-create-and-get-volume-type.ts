/** CinderVolumeTypes.create_and_get_volume_type: create a volume type, then get it (admin). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { adminCinder, CINDER_ADMIN_CLEANUP } from './scenario-helpers.js';
import { VOLUME_TYPE_ARGS, type VolumeTypeArgs } from './volume-types.js';

export const createAndGetVolumeType = registerOpenStackScenario({
  name: 'CinderVolumeTypes.create_and_get_volume_type',
  description: 'Create a volume Type, then get the details of the type.',
  schema: { type: 'object', properties: VOLUME_TYPE_ARGS, additionalProperties: false },
  defaultContexts: CINDER_ADMIN_CLEANUP,
  async run(ctx, { description = null, is_public = true }: VolumeTypeArgs) {
    const cinder = adminCinder(ctx);
    const type = await cinder.createVolumeType({ description, is_public });
    await cinder.getVolumeType(type.id);
  },
});
