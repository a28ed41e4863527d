/**
 * The `flavors` context (Rally's FlavorsGenerator, order 340, admin): creates the listed flavors
 * (a name already taken is used as is, like Rally's "Using existing flavor"), sets their extra specs,
 * and puts them in context.flavors by name. Cleanup deletes the flavors this context created, and
 * only those (Rally's matcher would also delete a pre-existing flavor of the same name).
 */
import { registerContext } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import { compute, isHttpStatus } from '../../../openstack/index.js';

interface FlavorConfig {
  name: string;
  ram: number;
  vcpus?: number;
  disk?: number;
  swap?: number;
  ephemeral?: number;
  extra_specs?: Record<string, string>;
}

declare module '../../../engine/scenario.js' {
  interface ContextData {
    /** flavors made by the flavors context, by name */
    flavors?: Record<string, compute.Flavor>;
  }
}

export const flavorsContext = registerContext({
  name: 'flavors',
  platform: 'openstack',
  description: 'Context creates a list of flavors.',
  order: 340,
  schema: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        ram: { type: 'integer', minimum: 1 },
        vcpus: { type: 'integer', minimum: 1 },
        disk: { type: 'integer', minimum: 0 },
        swap: { type: 'integer', minimum: 0 },
        ephemeral: { type: 'integer', minimum: 0 },
        extra_specs: { type: 'object', additionalProperties: { type: 'string' } },
      },
      additionalProperties: false,
      required: ['name', 'ram'],
    },
  },
  create() {
    const created: string[] = [];
    return {
      async setup(api) {
        const admin = api.data.admin?.session;
        if (!admin) throw new RallyException('the flavors context needs an admin credential', 'ValidationError');
        api.data.flavors = {};
        for (const config of api.config as unknown as FlavorConfig[]) {
          let flavor: compute.Flavor;
          try {
            flavor = await compute.createFlavor(
              admin,
              { name: config.name, ram: config.ram, vcpus: config.vcpus ?? 1, disk: config.disk ?? 0, 'OS-FLV-EXT-DATA:ephemeral': config.ephemeral ?? 0, ...(config.swap ? { swap: config.swap } : {}) },
              { signal: api.signal },
            );
          } catch (error) {
            if (isHttpStatus(error, 409)) continue;
            throw error;
          }
          created.push(flavor.id);
          if (config.extra_specs) await compute.setFlavorExtraSpecs(admin, flavor.id, config.extra_specs, { signal: api.signal });
          api.data.flavors[config.name] = flavor;
        }
      },
      async cleanup(api) {
        const admin = api.data.admin?.session;
        if (!admin) return;
        for (const id of created) {
          try {
            await compute.deleteFlavor(admin, id);
          } catch (error) {
            if (!isHttpStatus(error, 404)) throw error;
          }
        }
      },
    };
  },
});
