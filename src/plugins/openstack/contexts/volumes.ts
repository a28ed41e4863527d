/**
 * The `volumes` context (Rally's volumes@openstack, order 420): volumes_per_tenant volumes of
 * `size` GB (and `type`) in every project, made by the project's first user; fills
 * tenants[id].volumes. Cleanup deletes this owner's context-named volumes through the cinder
 * cleanup manager, like Rally's.
 */
import { isJsonObject } from '../../../common/json.js';
import { registerContext } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import type { Volume } from '../../../openstack/block-storage.js';
import { CinderService } from '../cinder/service.js';
import { cleanupResources } from '../cleanup/manager.js';
import { findCleanupResources } from '../cleanup/registry.js';
import { randomName } from '../names.js';
import { firstUserPerTenant } from './network.js';

export const volumesContext = registerContext({
  name: 'volumes',
  platform: 'openstack',
  order: 420,
  description: 'Creates volumes for each tenant.',
  schema: {
    type: 'object',
    properties: {
      size: { type: 'integer', minimum: 1 },
      type: {
        oneOf: [
          { type: 'string', description: 'a string-like type of volume to create.' },
          { type: 'null', description: 'Use default type for volume to create.' },
        ],
      },
      volumes_per_tenant: { type: 'integer', minimum: 1 },
    },
    required: ['size'],
    additionalProperties: false,
  },
  defaultConfig: { volumes_per_tenant: 1 },
  create: () => ({
    async setup(api) {
      const config = (isJsonObject(api.config) ? api.config : {}) as { size: number; type?: string | null; volumes_per_tenant: number };
      for (const { user, tenant } of firstUserPerTenant(api)) {
        const volumes = (tenant['volumes'] as Volume[] | undefined) ?? [];
        tenant['volumes'] = volumes;
        const cinder = new CinderService({
          session: user.session,
          atomic: (name, fn) => api.atomic(name, fn),
          randomName: () => randomName(api, 'context'),
          signal: api.signal,
          random: Math.random,
        });
        for (let i = 0; i < config.volumes_per_tenant; i++) {
          volumes.push(await cinder.createVolume(config.size, config.type ? { volume_type: config.type } : {}));
        }
      }
    },
    async cleanup(api) {
      const report = await cleanupResources({
        managers: findCleanupResources(['cinder.volumes']),
        users: api.data.users ?? [],
        ownerId: api.workload.workloadUuid,
        kinds: ['context'],
        signal: api.signal,
      });
      if (report.failures.length > 0) throw new RallyException(`volumes cleanup failed: ${report.failures.join('; ')}`);
    },
  }),
});
