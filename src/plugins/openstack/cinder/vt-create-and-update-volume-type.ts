/**
 * CinderVolumeTypes.create_and_update_volume_type: create a volume type, then update it (admin).
 * Rally runs this one through its Cinder v2 service, hence the "cinder_v2.*" action names.
 */
import { registerOpenStackScenario } from '../scenario-base.js';
import { adminCinder, CINDER_ADMIN_CLEANUP } from './scenario-helpers.js';
import { VOLUME_TYPE_ARGS, type VolumeTypeArgs } from './volume-types.js';

interface Args extends VolumeTypeArgs {
  update_name?: boolean;
  update_description?: string | null;
  update_is_public?: boolean | null;
}

export const createAndUpdateVolumeType = registerOpenStackScenario({
  name: 'CinderVolumeTypes.create_and_update_volume_type',
  description: 'create a volume type, then update the type.',
  schema: {
    type: 'object',
    properties: { ...VOLUME_TYPE_ARGS, update_name: { type: 'boolean' }, update_description: { type: ['string', 'null'] }, update_is_public: { type: ['boolean', 'null'] } },
    additionalProperties: false,
  },
  defaultContexts: CINDER_ADMIN_CLEANUP,
  async run(ctx, { description = null, is_public = true, update_name = false, update_description = null, update_is_public = null }: Args) {
    const cinder = adminCinder(ctx, '2');
    const type = await cinder.createVolumeType({ description, is_public });
    await cinder.updateVolumeType(type.id, { updateName: update_name, description: update_description, isPublic: update_is_public });
  },
});
