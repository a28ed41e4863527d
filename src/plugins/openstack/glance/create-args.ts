/**
 * The image-creation arguments the GlanceImages.* scenarios share (Rally's run() signatures with
 * the "enum" validators of container_format and disk_format).
 */
import type { ScenarioContext } from '../../../engine/scenario.js';
import type { Image } from '../../../openstack/image.js';
import { randomName } from '../names.js';
import { scenarioUser } from '../scenario-base.js';
import { createImage } from './service.js';

export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf'];
export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso'];

export interface ImageCreateArgs {
  container_format: string;
  image_location: string;
  disk_format: string;
  visibility?: string;
  min_disk?: number;
  min_ram?: number;
  properties?: Record<string, unknown> | null;
}

/** JSON schema properties of ImageCreateArgs; `extra` adds a scenario's own arguments. */
export function imageCreateSchema(
  extra: Record<string, unknown> = {},
  options: { minNames?: [string, string]; withProperties?: boolean; required?: string[] } = {},
): Record<string, unknown> {
  const [minDisk, minRam] = options.minNames ?? ['min_disk', 'min_ram'];
  return {
    type: 'object',
    properties: {
      container_format: { enum: CONTAINER_FORMATS },
      image_location: { type: 'string' },
      disk_format: { enum: DISK_FORMATS },
      visibility: { type: 'string' },
      [minDisk]: { type: 'integer', minimum: 0 },
      [minRam]: { type: 'integer', minimum: 0 },
      ...(options.withProperties === false ? {} : { properties: { type: ['object', 'null'] } }),
      ...extra,
    },
    required: ['container_format', 'image_location', 'disk_format', ...(options.required ?? [])],
    additionalProperties: false,
  };
}

/** The iteration user's new image, named like Rally's scenario resources, waited until active. */
export function createScenarioImage(ctx: ScenarioContext, args: ImageCreateArgs, overrides: { minDisk?: number; minRam?: number; properties?: Record<string, unknown> | null } = {}): Promise<Image> {
  const { session } = scenarioUser(ctx);
  const properties = overrides.properties !== undefined ? overrides.properties : args.properties;
  return createImage(ctx, session, {
    name: randomName(ctx, 'scenario'),
    containerFormat: args.container_format,
    diskFormat: args.disk_format,
    location: args.image_location,
    visibility: args.visibility ?? 'private',
    minDisk: overrides.minDisk ?? args.min_disk ?? 0,
    minRam: overrides.minRam ?? args.min_ram ?? 0,
    ...(properties ? { properties } : {}),
  });
}
