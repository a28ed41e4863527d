/** CinderVolumeTypes.create_and_list_volume_types: create a volume type, list types, check it is there (admin). */
import { registerOpenStackScenario } from '../scenario-base.js';
import { RallyException } from '../../../engine/exceptions.js';
import { adminCinder, CINDER_ADMIN_CLEANUP } from './scenario-helpers.js';
import { VOLUME_TYPE_ARGS, type VolumeTypeArgs } from './volume-types.js';

export const createAndListVolumeTypes = registerOpenStackScenario({
  name: 'CinderVolumeTypes.create_and_list_volume_types',
  description: 'Create a volume Type, then list all types.',
  schema: { type: 'object', properties: VOLUME_TYPE_ARGS, additionalProperties: false },
  defaultContexts: CINDER_ADMIN_CLEANUP,
  async run(ctx, { description = null, is_public = true }: VolumeTypeArgs) {
    const cinder = adminCinder(ctx);
    const type = await cinder.createVolumeType({ description, is_public });
    const types = await cinder.listTypes();
    if (!types.some((t) => t.id === type.id)) {
      throw new RallyException(`type not included into list of available types created type: ${type.id}`, 'AssertionError');
    }
  },
});
