/**
 * The `volume_types` context (Rally's volume_types@openstack, order 410): creates the listed
 * volume types as the admin (with exactly these names) and fills ctx.context.volume_types with
 * {id, name}; cleanup deletes the types it made.
 */
import { registerContext } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import { InfraError } from '../../../common/errors.js';
import { blockStorage } from '../../../openstack/index.js';
import { CinderService } from '../cinder/service.js';
import { randomName } from '../names.js';

declare module '../../../engine/scenario.js' {
  interface ContextData {
    /** the volume_types context's types */
    volume_types?: Array<{ id: string; name: string }>;
  }
}

export const volumeTypesContext = registerContext({
  name: 'volume_types',
  platform: 'openstack',
  order: 410,
  description: 'Adds cinder volumes types.',
  schema: { type: 'array', items: { type: 'string' } },
  create: () => {
    const created: Array<{ id: string; name: string }> = [];
    return {
      async setup(api) {
        const admin = api.data.admin?.session;
        if (!admin) throw new InfraError('the volume_types context needs an admin credential');
        const cinder = new CinderService({
          session: admin,
          atomic: (name, fn) => api.atomic(name, fn),
          randomName: () => randomName(api, 'context'),
          signal: api.signal,
          random: Math.random,
        });
        api.data.volume_types = created;
        for (const name of (api.config as string[]) ?? []) {
          const type = await cinder.createVolumeType({ name });
          created.push({ id: type.id, name });
        }
      },
      async cleanup(api) {
        const admin = api.data.admin?.session;
        if (!admin) return;
        const failures: string[] = [];
        for (const type of created) {
          try {
            await blockStorage.deleteVolumeType(admin, type.id);
          } catch (error) {
            if ((error as { status?: number }).status !== 404) failures.push(`${type.name}: ${String(error)}`);
          }
        }
        if (failures.length > 0) throw new RallyException(`volume_types cleanup failed: ${failures.join('; ')}`);
      },
    };
  },
});
