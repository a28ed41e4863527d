/** CinderVolumes.create_and_list_volume: create a volume, then list all volumes. */
import { registerOpenStackScenario } from '../scenario-base.js';
import { CINDER_CLEANUP, refuseImage, SIZE_SCHEMA, userCinder } from './scenario-helpers.js';
import type { SizeArg } from './service.js';

export const createAndListVolume = registerOpenStackScenario({
  name: 'CinderVolumes.create_and_list_volume',
  description: 'Create a volume and list all volumes.',
  schema: { type: 'object', properties: { size: SIZE_SCHEMA, detailed: { type: 'boolean' }, image: {} }, required: ['size'], additionalProperties: true },
  defaultContexts: CINDER_CLEANUP,
  async run(ctx, { size, detailed = true, image, ...kwargs }: { size: SizeArg; detailed?: boolean; image?: unknown; [key: string]: unknown }) {
    refuseImage(image);
    const cinder = userCinder(ctx);
    await cinder.createVolume(size, kwargs);
    await cinder.listVolumes(detailed);
  },
});
