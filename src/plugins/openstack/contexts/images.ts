/**
 * The `images` context (Rally's ImageGenerator, order 410): uploads `images_per_tenant` Glance
 * images into every project of the users context, as that project's first user, and lists their
 * ids in tenants[id].images. Cleanup deletes, per project, the images named like this context's
 * resources (c_rally_<owner>_...) or `image_name`, as Rally's cleanup does, then waits until gone.
 */
import { registerContext } from '../../../engine/context.js';
import { image as glance, isHttpStatus, waitForDeletion } from '../../../openstack/index.js';
import { contextActor } from '../glance/actor.js';
import { createImage, GLANCE_TIMINGS } from '../glance/service.js';
import { nameMatchesRally, randomName } from '../names.js';
import { usersPerTenant } from '../nova/per-tenant.js';

const DISK_FORMATS = ['qcow2', 'raw', 'vhd', 'vmdk', 'vdi', 'iso', 'aki', 'ari', 'ami'];

interface ImagesConfig {
  image_url: string;
  disk_format?: string;
  container_format?: string;
  image_name?: string;
  min_ram?: number;
  min_disk?: number;
  visibility?: string;
  images_per_tenant: number;
  image_args?: Record<string, unknown>;
  image_container?: string;
  image_type?: string;
}

/** The effective creation settings, with Rally's handling of the deprecated keys. */
export function imageSettings(config: ImagesConfig): { diskFormat?: string; containerFormat?: string; visibility: string; minDisk: number; minRam: number; name?: string } {
  const args = config.image_args ?? {};
  let visibility = config.visibility ?? 'private';
  if ('is_public' in args && config.visibility === undefined) visibility = args['is_public'] ? 'public' : 'private';
  const minRam = config.min_ram ?? (typeof args['min_ram'] === 'number' ? args['min_ram'] : 0);
  const minDisk = config.min_disk ?? (typeof args['min_disk'] === 'number' ? args['min_disk'] : 0);
  const diskFormat = config.disk_format ?? config.image_type;
  const containerFormat = config.container_format ?? config.image_container;
  // image_name applies only to a single image per project
  const name = config.image_name !== undefined && config.images_per_tenant === 1 ? config.image_name : undefined;
  return {
    ...(diskFormat !== undefined ? { diskFormat } : {}),
    ...(containerFormat !== undefined ? { containerFormat } : {}),
    visibility,
    minDisk,
    minRam,
    ...(name !== undefined ? { name } : {}),
  };
}

export const imagesContext = registerContext({
  name: 'images',
  platform: 'openstack',
  description: 'Uploads specified Glance images to every tenant.',
  order: 410,
  defaultConfig: { images_per_tenant: 1 },
  schema: {
    type: 'object',
    properties: {
      image_url: { type: 'string', description: 'Location of the source to create image from.' },
      disk_format: { enum: DISK_FORMATS },
      container_format: { enum: ['aki', 'ami', 'ari', 'bare', 'docker', 'ova', 'ovf'] },
      image_name: { type: 'string' },
      min_ram: { type: 'integer', minimum: 0 },
      min_disk: { type: 'integer', minimum: 0 },
      visibility: { enum: ['public', 'private', 'shared', 'community'] },
      images_per_tenant: { type: 'integer', minimum: 1 },
      image_args: { type: 'object', additionalProperties: true },
      image_container: { type: 'string' },
      image_type: { enum: DISK_FORMATS },
    },
    oneOf: [
      { required: ['image_url', 'disk_format', 'container_format'] },
      { required: ['image_url', 'image_type', 'container_format'] },
      { required: ['image_url', 'disk_format', 'image_container'] },
      { required: ['image_url', 'image_type', 'image_container'] },
    ],
    additionalProperties: false,
  },
  create() {
    return {
      async setup(api) {
        const config = api.config as unknown as ImagesConfig;
        const settings = imageSettings(config);
        const actor = contextActor(api);
        for (const { user, tenant } of usersPerTenant(api.data)) {
          const ids: string[] = [];
          for (let i = 0; i < config.images_per_tenant; i++) {
            const created = await createImage(actor, user.session, {
              name: settings.name ?? randomName(api, 'context'),
              location: config.image_url,
              visibility: settings.visibility,
              minDisk: settings.minDisk,
              minRam: settings.minRam,
              ...(settings.diskFormat !== undefined ? { diskFormat: settings.diskFormat } : {}),
              ...(settings.containerFormat !== undefined ? { containerFormat: settings.containerFormat } : {}),
            });
            ids.push(created.id);
          }
          tenant['images'] = ids;
        }
      },
      async cleanup(api) {
        const config = api.config as unknown as ImagesConfig;
        const ours = (name: string | null): boolean =>
          name !== null && (name === config.image_name || nameMatchesRally(name, { ownerId: api.workload.workloadUuid, kinds: ['context'] }));
        const failures: string[] = [];
        for (const { user, tenant } of usersPerTenant(api.data)) {
          const session = api.data.admin?.session ?? user.session;
          const images = (await glance.listImages(session, { query: { owner: tenant.id } })).filter((image) => ours(image.name));
          for (const image of images) {
            try {
              if (image.status === 'deactivated') await glance.setImageActive(session, image.id, true);
              await glance.deleteImage(session, image.id);
              await waitForDeletion(
                { type: 'Image', id: image.id, get: () => glance.getImage(session, image.id) },
                { timeout: GLANCE_TIMINGS.deleteTimeout, pollInterval: GLANCE_TIMINGS.deletePollInterval },
              );
            } catch (error) {
              if (!isHttpStatus(error, 404)) failures.push(`image ${image.id}: ${(error as Error).message}`);
            }
          }
        }
        if (failures.length > 0) throw new Error(`images cleanup failed for ${failures.join('; ')}`);
      },
    };
  },
});
