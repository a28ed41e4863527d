/**
 * Glance v2 calls with Rally's atomic action names and waits (rally_openstack/common/services/
 * image/glance_v2.py and glance_common.py). Timings are Rally's CONF.openstack defaults.
 */
import { image as glance, waitForStatus, ResourceNotFound, isHttpStatus } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import type { Image, JsonPatchOperation } from '../../../openstack/image.js';
import type { Actor } from './actor.js';
import { readImageData } from './image-data.js';

/** CONF.openstack glance_image_* defaults (rally_openstack/common/cfg/glance.py). */
export const GLANCE_TIMINGS = {
  createPrepollDelay: 2.0,
  createTimeout: 120.0,
  createPollInterval: 1.0,
  deleteTimeout: 120.0,
  deletePollInterval: 1.0,
} as const;

export interface CreateImageOptions {
  name: string;
  containerFormat?: string;
  diskFormat?: string;
  /** file path or http(s) URL of the data */
  location: string;
  visibility?: string;
  minDisk?: number;
  minRam?: number;
  /** custom properties (Rally's `properties`) */
  properties?: Record<string, unknown>;
}

/** glance_v2.get_image; a 404 becomes GetResourceNotFound like Rally's get_image. */
export async function getImage(actor: Actor, session: OpenStackSession, imageId: string): Promise<Image> {
  return actor.atomic('glance_v2.get_image', async () => {
    try {
      return await glance.getImage(session, imageId, { signal: actor.signal });
    } catch (error) {
      if (isHttpStatus(error, 404)) throw new ResourceNotFound(imageId);
      throw error;
    }
  });
}

function waitForImage(actor: Actor, session: OpenStackSession, imageId: string, name: string, ready: string[], timeout: number): Promise<Image> {
  return waitForStatus<Image>(
    // every poll is Rally's get_image, itself an atomic action nested in the caller's
    { type: 'Image', id: imageId, name, get: () => getImage(actor, session, imageId) },
    { ready, failure: ['error'], timeout, pollInterval: GLANCE_TIMINGS.createPollInterval, signal: actor.signal },
  );
}

/**
 * glance_v2.create_image: create the record, sleep the pre-poll delay, wait for "queued", upload
 * (glance_v2.upload_data), wait for "active". Like Rally, the second wait's timeout is the time the
 * first wait took, so an image that is not active right after its upload times out quickly.
 */
export async function createImage(actor: Actor, session: OpenStackSession, options: CreateImageOptions): Promise<Image> {
  return actor.atomic('glance_v2.create_image', async () => {
    const request: glance.CreateImageRequest = {
      ...(options.properties ?? {}),
      name: options.name,
      min_disk: options.minDisk ?? 0,
      min_ram: options.minRam ?? 0,
    };
    if (options.containerFormat !== undefined) request.container_format = options.containerFormat;
    if (options.diskFormat !== undefined) request.disk_format = options.diskFormat;
    if (options.visibility !== undefined) request.visibility = options.visibility as glance.CreateImageRequest['visibility'];
    const created = await glance.createImage(session, request, { signal: actor.signal });
    await actor.sleep(GLANCE_TIMINGS.createPrepollDelay);
    const start = performance.now();
    await waitForImage(actor, session, created.id, options.name, ['queued'], GLANCE_TIMINGS.createTimeout);
    const firstWaitSeconds = (performance.now() - start) / 1000;
    await actor.atomic('glance_v2.upload_data', async () => {
      const data = await readImageData(options.location, actor.signal);
      await glance.uploadImageData(session, created.id, data, { signal: actor.signal });
    });
    return waitForImage(actor, session, created.id, options.name, ['active'], firstWaitSeconds);
  });
}

/** glance_v2.list_images (status "active" by default, like Rally's list_images). */
export function listImages(actor: Actor, session: OpenStackSession, filters: { status?: string; visibility?: string; owner?: string } = {}): Promise<Image[]> {
  return actor.atomic('glance_v2.list_images', () =>
    glance.listImages(session, {
      query: { status: filters.status ?? 'active', visibility: filters.visibility, owner: filters.owner },
      signal: actor.signal,
    }),
  );
}

/** glance_v2.delete_image (no wait, like Rally's). */
export function deleteImage(actor: Actor, session: OpenStackSession, imageId: string): Promise<void> {
  return actor.atomic('glance_v2.delete_image', () => glance.deleteImage(session, imageId, { signal: actor.signal }));
}

/**
 * glance_v2.update_image: new name, min_disk, min_ram, and properties to remove. glanceclient
 * fetches the image first and patches against it, both inside the atomic action.
 */
export function updateImage(
  actor: Actor,
  session: OpenStackSession,
  imageId: string,
  changes: { name: string; minDisk: number; minRam: number; removeProps?: string[] },
): Promise<Image> {
  return actor.atomic('glance_v2.update_image', async () => {
    const current = await glance.getImage(session, imageId, { signal: actor.signal });
    const set = (key: string, value: unknown): JsonPatchOperation => ({ op: key in current ? 'replace' : 'add', path: `/${key}`, value });
    const patch: JsonPatchOperation[] = [set('name', changes.name), set('min_disk', changes.minDisk), set('min_ram', changes.minRam)];
    for (const prop of changes.removeProps ?? []) {
      if (prop in current) patch.push({ op: 'remove', path: `/${prop}` });
    }
    return glance.updateImage(session, imageId, patch, { signal: actor.signal });
  });
}

export function deactivateImage(actor: Actor, session: OpenStackSession, imageId: string): Promise<void> {
  return actor.atomic('glance_v2.deactivate_image', () => glance.setImageActive(session, imageId, false, { signal: actor.signal }));
}

export function downloadImage(actor: Actor, session: OpenStackSession, imageId: string): Promise<Uint8Array> {
  return actor.atomic('glance_v2.download_image', () => glance.downloadImageData(session, imageId, { signal: actor.signal }));
}
