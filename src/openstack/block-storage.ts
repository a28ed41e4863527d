/**
 * Cinder v3 (block-storage; catalog types block-storage, volumev3, volume): volumes, volume
 * actions, snapshots, volume types, quotas, and waits for a status or deletion. Microversions
 * ("3.59") come from the session or per call.
 */
import { listAll } from './pagination.js';
import type { ListOptions } from './pagination.js';
import type { OpenStackSession, RequestOptions } from './session.js';
import { apiPath, requireKey } from './session.js';
import { waitForDeletion, waitForStatus } from './waiters.js';
import type { WaitTarget, WaitTiming } from './waiters.js';

type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs' | 'microversion'>;

const opts = (options: CallOptions | undefined, extra: RequestOptions = {}): RequestOptions => ({ ...options, ...extra });

// ---- volumes

export interface VolumeAttachmentInfo {
  server_id: string;
  attachment_id: string;
  device?: string;
  host_name?: string | null;
  volume_id: string;
  id?: string;
}

export interface Volume {
  id: string;
  name: string | null;
  status: string;
  size: number;
  volume_type: string | null;
  availability_zone: string;
  bootable: string;
  encrypted: boolean;
  multiattach: boolean;
  attachments: VolumeAttachmentInfo[];
  metadata: Record<string, string>;
  description?: string | null;
  snapshot_id?: string | null;
  source_volid?: string | null;
  created_at: string;
  updated_at?: string | null;
  'os-vol-tenant-attr:tenant_id'?: string;
  'os-vol-host-attr:host'?: string | null;
  [key: string]: unknown;
}

export interface CreateVolumeRequest {
  size: number;
  name?: string;
  description?: string;
  volume_type?: string;
  availability_zone?: string;
  imageRef?: string;
  snapshot_id?: string;
  source_volid?: string;
  metadata?: Record<string, string>;
  multiattach?: boolean;
  [key: string]: unknown;
}

export async function createVolume(session: OpenStackSession, volume: CreateVolumeRequest, options?: CallOptions & { schedulerHints?: Record<string, unknown> }): Promise<Volume> {
  const { schedulerHints, ...callOptions } = options ?? {};
  const body: Record<string, unknown> = { volume };
  if (schedulerHints) body['OS-SCH-HNT:scheduler_hints'] = schedulerHints;
  return requireKey<Volume>(await session.request('block-storage', 'POST', '/volumes', opts(callOptions, { body })), 'volume');
}

export async function getVolume(session: OpenStackSession, volumeId: string, options?: CallOptions): Promise<Volume> {
  return requireKey<Volume>(await session.request('block-storage', 'GET', apiPath`/volumes/${volumeId}`, opts(options)), 'volume');
}

/** GET /volumes/detail (all pages by default). */
export function listVolumes(session: OpenStackSession, options?: ListOptions): Promise<Volume[]> {
  return listAll<Volume>(session, 'block-storage', '/volumes/detail', 'volumes', 'links', options);
}

export async function updateVolume(session: OpenStackSession, volumeId: string, changes: { name?: string; description?: string; metadata?: Record<string, string> }, options?: CallOptions): Promise<Volume> {
  return requireKey<Volume>(await session.request('block-storage', 'PUT', apiPath`/volumes/${volumeId}`, opts(options, { body: { volume: changes } })), 'volume');
}

/** DELETE /volumes/{id}; cascade also deletes its snapshots. */
export async function deleteVolume(session: OpenStackSession, volumeId: string, options?: CallOptions & { cascade?: boolean; force?: boolean }): Promise<void> {
  const { cascade, force, ...callOptions } = options ?? {};
  const query = { ...(cascade ? { cascade: 'true' } : {}), ...(force ? { force: 'true' } : {}) };
  await session.request('block-storage', 'DELETE', apiPath`/volumes/${volumeId}`, opts(callOptions, { query }));
}

/** POST /volumes/{id}/action, e.g. {"os-extend": {"new_size": 2}}. */
export async function volumeAction<T = unknown>(session: OpenStackSession, volumeId: string, action: Record<string, unknown>, options?: CallOptions): Promise<T> {
  return (await session.request<T>('block-storage', 'POST', apiPath`/volumes/${volumeId}/action`, opts(options, { body: action }))).body;
}

export const extendVolume = (s: OpenStackSession, id: string, newSize: number, o?: CallOptions) => volumeAction(s, id, { 'os-extend': { new_size: newSize } }, o);
export const setVolumeBootable = (s: OpenStackSession, id: string, bootable: boolean, o?: CallOptions) => volumeAction(s, id, { 'os-set_bootable': { bootable } }, o);
export const retypeVolume = (s: OpenStackSession, id: string, newType: string, migrationPolicy: 'never' | 'on-demand' = 'never', o?: CallOptions) =>
  volumeAction(s, id, { 'os-retype': { new_type: newType, migration_policy: migrationPolicy } }, o);
export const resetVolumeStatus = (s: OpenStackSession, id: string, status: string, o?: CallOptions) => volumeAction(s, id, { 'os-reset_status': { status } }, o);

/** os-volume_upload_image: the new image's id. */
export async function uploadVolumeToImage(
  session: OpenStackSession,
  volumeId: string,
  image: { image_name: string; force?: boolean; disk_format?: string; container_format?: string },
  options?: CallOptions,
): Promise<{ image_id: string; [key: string]: unknown }> {
  const body = await volumeAction<{ 'os-volume_upload_image': { image_id: string } }>(session, volumeId, { 'os-volume_upload_image': image }, options);
  return body['os-volume_upload_image'];
}

function volumeTarget(session: OpenStackSession, volume: { id: string; name?: string | null }): WaitTarget<Volume> {
  return {
    type: 'Volume',
    id: volume.id,
    ...(volume.name ? { name: volume.name } : {}),
    get: (signal) => getVolume(session, volume.id, signal ? { signal } : {}),
  };
}

/** Waits for a volume status (e.g. ["available"]); "error" fails (Rally's default failure status). */
export function waitForVolumeStatus(
  session: OpenStackSession,
  volume: { id: string; name?: string | null },
  ready: string[],
  timing: WaitTiming & { failure?: string[] },
): Promise<Volume> {
  return waitForStatus(volumeTarget(session, volume), { ...timing, ready, failure: timing.failure ?? ['error'] });
}

/** Waits until the volume is gone; "error_deleting" fails. */
export function waitForVolumeDeleted(session: OpenStackSession, volume: { id: string; name?: string | null }, timing: WaitTiming & { failure?: string[] }): Promise<void> {
  return waitForDeletion(volumeTarget(session, volume), { ...timing, failure: timing.failure ?? ['error_deleting'] });
}

// ---- snapshots

export interface Snapshot {
  id: string;
  name: string | null;
  status: string;
  size: number;
  volume_id: string;
  description?: string | null;
  metadata: Record<string, string>;
  created_at: string;
  [key: string]: unknown;
}

export async function createSnapshot(
  session: OpenStackSession,
  snapshot: { volume_id: string; name?: string; description?: string; force?: boolean; metadata?: Record<string, string> },
  options?: CallOptions,
): Promise<Snapshot> {
  return requireKey<Snapshot>(await session.request('block-storage', 'POST', '/snapshots', opts(options, { body: { snapshot } })), 'snapshot');
}

export async function getSnapshot(session: OpenStackSession, snapshotId: string, options?: CallOptions): Promise<Snapshot> {
  return requireKey<Snapshot>(await session.request('block-storage', 'GET', apiPath`/snapshots/${snapshotId}`, opts(options)), 'snapshot');
}

export function listSnapshots(session: OpenStackSession, options?: ListOptions): Promise<Snapshot[]> {
  return listAll<Snapshot>(session, 'block-storage', '/snapshots/detail', 'snapshots', 'links', options);
}

export async function deleteSnapshot(session: OpenStackSession, snapshotId: string, options?: CallOptions): Promise<void> {
  await session.request('block-storage', 'DELETE', apiPath`/snapshots/${snapshotId}`, opts(options));
}

function snapshotTarget(session: OpenStackSession, snapshot: { id: string; name?: string | null }): WaitTarget<Snapshot> {
  return {
    type: 'Snapshot',
    id: snapshot.id,
    ...(snapshot.name ? { name: snapshot.name } : {}),
    get: (signal) => getSnapshot(session, snapshot.id, signal ? { signal } : {}),
  };
}

export function waitForSnapshotStatus(
  session: OpenStackSession,
  snapshot: { id: string; name?: string | null },
  ready: string[],
  timing: WaitTiming & { failure?: string[] },
): Promise<Snapshot> {
  return waitForStatus(snapshotTarget(session, snapshot), { ...timing, ready, failure: timing.failure ?? ['error'] });
}

export function waitForSnapshotDeleted(session: OpenStackSession, snapshot: { id: string; name?: string | null }, timing: WaitTiming & { failure?: string[] }): Promise<void> {
  return waitForDeletion(snapshotTarget(session, snapshot), { ...timing, failure: timing.failure ?? ['error_deleting'] });
}

// ---- volume types

export interface VolumeType {
  id: string;
  name: string;
  description?: string | null;
  is_public: boolean;
  extra_specs: Record<string, string>;
  [key: string]: unknown;
}

export async function createVolumeType(
  session: OpenStackSession,
  volumeType: { name: string; description?: string; 'os-volume-type-access:is_public'?: boolean; extra_specs?: Record<string, string> },
  options?: CallOptions,
): Promise<VolumeType> {
  return requireKey<VolumeType>(await session.request('block-storage', 'POST', '/types', opts(options, { body: { volume_type: volumeType } })), 'volume_type');
}

export async function getVolumeType(session: OpenStackSession, typeId: string, options?: CallOptions): Promise<VolumeType> {
  return requireKey<VolumeType>(await session.request('block-storage', 'GET', apiPath`/types/${typeId}`, opts(options)), 'volume_type');
}

export async function listVolumeTypes(session: OpenStackSession, options?: CallOptions & { isPublic?: boolean | 'None' }): Promise<VolumeType[]> {
  const { isPublic, ...callOptions } = options ?? {};
  const query = isPublic !== undefined ? { is_public: String(isPublic) } : {};
  return requireKey<VolumeType[]>(await session.request('block-storage', 'GET', '/types', opts(callOptions, { query })), 'volume_types');
}

export async function deleteVolumeType(session: OpenStackSession, typeId: string, options?: CallOptions): Promise<void> {
  await session.request('block-storage', 'DELETE', apiPath`/types/${typeId}`, opts(options));
}

/** POST /types/{id}/extra_specs */
export async function setVolumeTypeExtraSpecs(session: OpenStackSession, typeId: string, extraSpecs: Record<string, string>, options?: CallOptions): Promise<Record<string, string>> {
  const response = await session.request('block-storage', 'POST', apiPath`/types/${typeId}/extra_specs`, opts(options, { body: { extra_specs: extraSpecs } }));
  return requireKey<Record<string, string>>(response, 'extra_specs');
}

// ---- quotas

/** Cinder quota set: -1 is unlimited. */
export interface VolumeQuotaSet {
  id?: string;
  volumes?: number;
  snapshots?: number;
  gigabytes?: number;
  backups?: number;
  backup_gigabytes?: number;
  per_volume_gigabytes?: number;
  groups?: number;
  [key: string]: number | string | undefined;
}

export async function getVolumeQuotas(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<VolumeQuotaSet> {
  return requireKey<VolumeQuotaSet>(await session.request('block-storage', 'GET', apiPath`/os-quota-sets/${projectId}`, opts(options)), 'quota_set');
}

export async function updateVolumeQuotas(session: OpenStackSession, projectId: string, quotas: VolumeQuotaSet, options?: CallOptions): Promise<VolumeQuotaSet> {
  return requireKey<VolumeQuotaSet>(await session.request('block-storage', 'PUT', apiPath`/os-quota-sets/${projectId}`, opts(options, { body: { quota_set: quotas } })), 'quota_set');
}

/** DELETE /os-quota-sets/{project}: back to the defaults. */
export async function resetVolumeQuotas(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<void> {
  await session.request('block-storage', 'DELETE', apiPath`/os-quota-sets/${projectId}`, opts(options));
}
