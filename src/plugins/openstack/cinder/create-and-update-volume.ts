/** CinderVolumes.create_and_update_volume: create a volume, then update its name/description. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { randomName } from '../names.js';
import { CINDER_CLEANUP, refuseImage, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

interface Args {
  size: SizeArg;
  image?: unknown;
  create_volume_kwargs?: Record<string, unknown> | null;
  update_volume_kwargs?: Record<string, unknown> | null;
}

export const createAndUpdateVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_update_volume',
  description: 'Create a volume and update its name and description.',
  schema: {
    type: 'object',
    properties: { size: SIZE_SCHEMA, image: {}, create_volume_kwargs: { type: ['object', 'null'] }, update_volume_kwargs: { type: ['object', 'null'] } },
    required: ['size'],
    additionalProperties: false,
  },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, image, create_volume_kwargs, update_volume_kwargs }: Args) {
    refuseImage(image);
    const { update_name: updateName, ...update } = { ...(update_volume_kwargs ?? {}) };
    if (updateName) update['name'] = randomName(ctx, 'scenario');
    const cinder = userCinder(ctx);
    const volume = await cinder.createVolume(size, { ...(create_volume_kwargs ?? {}) });
    await cinder.updateVolume(volume.id, update as { name?: string; description?: string });
  },
});
