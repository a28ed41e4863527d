/** CinderVolumeTypes.create_and_set_volume_type_keys: create a volume type, then set its extra specs (admin). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { adminCinder, CINDER_ADMIN_CLEANUP } from './scenario-helpers.js';
import { VOLUME_TYPE_ARGS, type VolumeTypeArgs } from './volume-types.js';

export const createAndSetVolumeTypeKeys = registerOpenStackScenario({
  name: 'CinderVolumeTypes.create_and_set_volume_type_keys',
  description: 'Create and set a volume type\'s extra specs.',
  schema: {
    type: 'object',
    properties: { volume_type_key: { type: 'object', additionalProperties: { type: 'string' } }, ...VOLUME_TYPE_ARGS },
    required: ['volume_type_key'],
    additionalProperties: false,
  },
  defaultContexts: CINDER_ADMIN_CLEANUP,
  async run(ctx, { volume_type_key, description = null, is_public = true }: VolumeTypeArgs & { volume_type_key: Record<string, string> }) {
    const cinder = adminCinder(ctx);
    const type = await cinder.createVolumeType({ description, is_public });
    await cinder.setVolumeTypeKeys(type.id, volume_type_key);
  },
});
