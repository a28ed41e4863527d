/**
 * Rally's Cinder v3 service (rally_openstack/common/services/storage/cinder_v3.py and
 * cinder_common.py) over our client: the same calls, waits and atomic action names
 * ("cinder_v3.create_volume", ...). Waits use Rally's defaults: 2 s before the first poll after a
 * create, polls every 2 s, 600 s timeouts.
 */
import { blockStorage, type OpenStackSession } from '../../../openstack/index.js';
import type { Snapshot, Volume, VolumeType } from '../../../openstack/block-storage.js';
import type { ServiceDeps } from '../neutron/service.js';

/** Rally's [openstack] cinder_volume_* options, defaults. */
export const CINDER_TIMING = { createPrepollDelay: 2, createTimeout: 600, createPollInterval: 2, deleteTimeout: 600, deletePollInterval: 2 };

/** An int, or {min, max} for a random size in [min, max] (Rally's size arg). */
export type SizeArg = number | { min: number; max: number };

export class CinderService {
  /** `version` names the atomic actions: "cinder_v3.*" (Rally's CinderVolumeTypes.create_and_update_volume_type uses its v2 service) */
  constructor(
    private readonly deps: ServiceDeps & { random(): number },
    private readonly version: '2' | '3' = '3',
  ) {}

  private get session(): OpenStackSession {
    return this.deps.session;
  }

  private get options(): { signal?: AbortSignal } {
    return this.deps.signal ? { signal: this.deps.signal } : {};
  }

  private timed<T>(action: string, fn: () => Promise<T>): Promise<T> {
    return this.deps.atomic(`cinder_v${this.version}.${action}`, fn);
  }

  private randomInt(min: number, max: number): number {
    return min + Math.floor(this.deps.random() * (max - min + 1));
  }

  private waitAvailable(volume: { id: string; name?: string | null }, prepoll: boolean): Promise<Volume> {
    return blockStorage.waitForVolumeStatus(this.session, volume, ['available'], {
      timeout: CINDER_TIMING.createTimeout,
      pollInterval: CINDER_TIMING.createPollInterval,
      ...(prepoll ? { prepollDelay: CINDER_TIMING.createPrepollDelay } : {}),
      ...this.options,
    });
  }

  /** create_volume: a random name unless given, then waits until "available". */
  createVolume(size: SizeArg, args: Record<string, unknown> = {}): Promise<Volume> {
    const { scheduler_hints: schedulerHints, name, ...rest } = args;
    const volumeSize = typeof size === 'number' ? size : this.randomInt(size.min, size.max);
    // Rally's client drops None values
    const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined));
    return this.timed('create_volume', async () => {
      const created = await blockStorage.createVolume(
        this.session,
        { ...body, size: volumeSize, name: typeof name === 'string' && name ? name : this.deps.randomName() },
        { ...this.options, ...(schedulerHints ? { schedulerHints: schedulerHints as Record<string, unknown> } : {}) },
      );
      return this.waitAvailable(created, true);
    });
  }

  getVolume(volumeId: string): Promise<Volume> {
    return this.timed('get_volume', () => blockStorage.getVolume(this.session, volumeId, this.options));
  }

  updateVolume(volumeId: string, changes: { name?: string; description?: string }): Promise<Volume> {
    return this.timed('update_volume', () => blockStorage.updateVolume(this.session, volumeId, changes, this.options));
  }

  /** list_volumes: /volumes/detail when detailed, else /volumes (the first page, as cinderclient without limit follows links). */
  listVolumes(detailed = true, searchOpts: Record<string, unknown> = {}): Promise<unknown[]> {
    return this.timed('list_volumes', async () => {
      if (detailed) return blockStorage.listVolumes(this.session, { ...this.options, query: searchOpts as never });
      const response = await this.session.request<{ volumes: unknown[] }>('block-storage', 'GET', '/volumes', { ...this.options, query: searchOpts as never });
      return response.body.volumes;
    });
  }

  /** delete_volume: DELETE, then waits until it is gone. */
  deleteVolume(volume: { id: string; name?: string | null }): Promise<void> {
    return this.timed('delete_volume', async () => {
      await blockStorage.deleteVolume(this.session, volume.id, this.options);
      await blockStorage.waitForVolumeDeleted(this.session, volume, { timeout: CINDER_TIMING.deleteTimeout, pollInterval: CINDER_TIMING.deletePollInterval, ...this.options });
    });
  }

  /** extend_volume: new_size an int or {min, max}; waits until "available" again. */
  extendVolume(volume: { id: string; name?: string | null }, newSize: SizeArg): Promise<Volume> {
    const size = typeof newSize === 'number' ? newSize : this.randomInt(newSize.min, newSize.max);
    return this.timed('extend_volume', async () => {
      await blockStorage.extendVolume(this.session, volume.id, size, this.options);
      return this.waitAvailable(volume, false);
    });
  }

  listTypes(searchOpts: Record<string, unknown> | null = null, isPublic: boolean | null = null): Promise<VolumeType[]> {
    return this.timed('list_types', async () => {
      const query: Record<string, string> = {};
      for (const [key, value] of Object.entries(searchOpts ?? {})) if (value !== null && value !== undefined) query[key] = String(value);
      if (isPublic !== null) query['is_public'] = String(isPublic);
      const response = await this.session.request<{ volume_types: VolumeType[] }>('block-storage', 'GET', '/types', { ...this.options, query });
      return response.body.volume_types;
    });
  }

  /** create_snapshot: waits (after Rally's 2 s pre-poll delay) until "available". */
  createSnapshot(volumeId: string, args: { force?: boolean; name?: string; description?: string; metadata?: Record<string, string> } = {}): Promise<Snapshot> {
    return this.timed('create_snapshot', async () => {
      const snapshot = await blockStorage.createSnapshot(
        this.session,
        { volume_id: volumeId, force: args.force ?? false, name: args.name || this.deps.randomName(), ...(args.description ? { description: args.description } : {}), ...(args.metadata ? { metadata: args.metadata } : {}) },
        this.options,
      );
      return blockStorage.waitForSnapshotStatus(this.session, snapshot, ['available'], {
        prepollDelay: CINDER_TIMING.createPrepollDelay,
        timeout: CINDER_TIMING.createTimeout,
        pollInterval: CINDER_TIMING.createPollInterval,
        ...this.options,
      });
    });
  }

  deleteSnapshot(snapshot: { id: string; name?: string | null }): Promise<void> {
    return this.timed('delete_snapshot', async () => {
      await blockStorage.deleteSnapshot(this.session, snapshot.id, this.options);
      await blockStorage.waitForSnapshotDeleted(this.session, snapshot, { timeout: CINDER_TIMING.deleteTimeout, pollInterval: CINDER_TIMING.deletePollInterval, ...this.options });
    });
  }

  listSnapshots(detailed = true): Promise<unknown[]> {
    return this.timed('list_snapshots', async () => {
      if (detailed) return blockStorage.listSnapshots(this.session, this.options);
      return (await this.session.request<{ snapshots: unknown[] }>('block-storage', 'GET', '/snapshots', this.options)).body.snapshots;
    });
  }

  // ---- volume types (admin)

  createVolumeType(args: { name?: string | null; description?: string | null; is_public?: boolean } = {}): Promise<VolumeType> {
    return this.timed('create_volume_type', () =>
      blockStorage.createVolumeType(
        this.session,
        {
          name: args.name || this.deps.randomName(),
          ...(args.description != null ? { description: args.description } : {}),
          'os-volume-type-access:is_public': args.is_public ?? true,
        },
        this.options,
      ),
    );
  }

  getVolumeType(typeId: string): Promise<VolumeType> {
    return this.timed('get_volume_type', () => blockStorage.getVolumeType(this.session, typeId, this.options));
  }

  deleteVolumeType(typeId: string): Promise<void> {
    return this.timed('delete_volume_type', () => blockStorage.deleteVolumeType(this.session, typeId, this.options));
  }

  /** update_volume_type: a new random name when asked; only the given fields are sent (cinderclient's update). */
  updateVolumeType(typeId: string, args: { updateName?: boolean; description?: string | null; isPublic?: boolean | null }): Promise<VolumeType> {
    const body: Record<string, unknown> = {};
    if (args.updateName) body['name'] = this.deps.randomName();
    if (args.description != null) body['description'] = args.description;
    if (args.isPublic != null) body['is_public'] = args.isPublic;
    return this.timed('update_volume_type', async () => {
      const response = await this.session.request<{ volume_type: VolumeType }>('block-storage', 'PUT', `/types/${encodeURIComponent(typeId)}`, { ...this.options, body: { volume_type: body } });
      return response.body.volume_type;
    });
  }

  setVolumeTypeKeys(typeId: string, metadata: Record<string, string>): Promise<Record<string, string>> {
    return this.timed('set_volume_type_keys', () => blockStorage.setVolumeTypeExtraSpecs(this.session, typeId, metadata, this.options));
  }
}
