/**
 * Glance v2 (image): create, upload data, get, list, update, delete, and waits for a status
 * or for deletion.
 */
import { listAll } from './pagination.js';
import type { ListOptions } from './pagination.js';
import type { OpenStackSession, RequestOptions } from './session.js';
import { apiPath } from './session.js';
import { waitForDeletion, waitForStatus } from './waiters.js';
import type { WaitTarget, WaitTiming } from './waiters.js';

type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs'>;

export type ImageStatus = 'queued' | 'saving' | 'uploading' | 'importing' | 'active' | 'killed' | 'deleted' | 'pending_delete' | 'deactivated';

export interface Image {
  id: string;
  name: string | null;
  status: ImageStatus | string;
  visibility: 'public' | 'private' | 'shared' | 'community';
  container_format: string | null;
  disk_format: string | null;
  size: number | null;
  min_disk: number;
  min_ram: number;
  owner: string;
  protected: boolean;
  checksum?: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  /** any other (custom) property */
  [property: string]: unknown;
}

export interface CreateImageRequest {
  name: string;
  container_format?: string;
  disk_format?: string;
  visibility?: 'public' | 'private' | 'shared' | 'community';
  min_disk?: number;
  min_ram?: number;
  protected?: boolean;
  tags?: string[];
  id?: string;
  /** custom properties go next to the standard ones */
  [property: string]: unknown;
}

/** POST /v2/images: an image record in status "queued" (no data yet). */
export async function createImage(session: OpenStackSession, image: CreateImageRequest, options?: CallOptions): Promise<Image> {
  return (await session.request<Image>('image', 'POST', '/images', { ...options, body: image })).body;
}

/** PUT /v2/images/{id}/file: the image data (the image goes saving -> active). */
export async function uploadImageData(session: OpenStackSession, imageId: string, data: Uint8Array, options?: CallOptions): Promise<void> {
  await session.request('image', 'PUT', apiPath`/images/${imageId}/file`, { ...options, rawBody: data, contentType: 'application/octet-stream' });
}

/** GET /v2/images/{id}/file: the image data. */
export async function downloadImageData(session: OpenStackSession, imageId: string, options?: CallOptions): Promise<Uint8Array> {
  const response = await session.request('image', 'GET', apiPath`/images/${imageId}/file`, { ...options, responseType: 'bytes' });
  return response.bytes ?? new Uint8Array();
}

export async function getImage(session: OpenStackSession, imageId: string, options?: CallOptions): Promise<Image> {
  return (await session.request<Image>('image', 'GET', apiPath`/images/${imageId}`, options)).body;
}

/** GET /v2/images, following Glance's "next" links (glanceclient's images.list does too). */
export function listImages(session: OpenStackSession, options?: ListOptions): Promise<Image[]> {
  return listAll<Image>(session, 'image', '/images', 'images', 'glance', options);
}

export type JsonPatchOperation = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

/** PATCH /v2/images/{id} with a JSON patch, e.g. [{op: "replace", path: "/name", value: "x"}]. */
export async function updateImage(session: OpenStackSession, imageId: string, patch: JsonPatchOperation[], options?: CallOptions): Promise<Image> {
  const response = await session.request<Image>('image', 'PATCH', apiPath`/images/${imageId}`, {
    ...options,
    body: patch,
    contentType: 'application/openstack-images-v2.1-json-patch',
  });
  return response.body;
}

export async function deleteImage(session: OpenStackSession, imageId: string, options?: CallOptions): Promise<void> {
  await session.request('image', 'DELETE', apiPath`/images/${imageId}`, options);
}

/** POST /v2/images/{id}/actions/deactivate and .../reactivate */
export async function setImageActive(session: OpenStackSession, imageId: string, active: boolean, options?: CallOptions): Promise<void> {
  await session.request('image', 'POST', apiPath`/images/${imageId}/actions/${active ? 'reactivate' : 'deactivate'}`, options);
}

function imageTarget(session: OpenStackSession, image: Pick<Image, 'id'> & { name?: string | null }): WaitTarget<Image> {
  return {
    type: 'Image',
    id: image.id,
    ...(image.name ? { name: image.name } : {}),
    get: (signal) => getImage(session, image.id, signal ? { signal } : {}),
  };
}

/**
 * Waits for an image status, e.g. ["active"]. Failure statuses default to "killed" (the upload
 * failed) and "error"; Rally's default is only "error", which makes a killed image time out.
 */
export function waitForImageStatus(
  session: OpenStackSession,
  image: Pick<Image, 'id'> & { name?: string | null },
  ready: string[],
  timing: WaitTiming & { failure?: string[] },
): Promise<Image> {
  return waitForStatus(imageTarget(session, image), { ...timing, ready, failure: timing.failure ?? ['killed', 'error'] });
}

/** Waits until the image is gone (404 or status "deleted"). */
export function waitForImageDeleted(session: OpenStackSession, image: Pick<Image, 'id'> & { name?: string | null }, timing: WaitTiming): Promise<void> {
  return waitForDeletion(imageTarget(session, image), timing);
}
