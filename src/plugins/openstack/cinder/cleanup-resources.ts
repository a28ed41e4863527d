/**
 * Cinder's cleanup resource managers (Rally's orders: volume_types 401 admin-only,
 * volume_snapshots 402, volumes 404 per project). Snapshots and volumes are deleted
 * asynchronously: the manager polls until a GET answers 404.
 */
import { blockStorage } from '../../../openstack/index.js';
import { registerCleanupResource, type CleanupScope } from '../cleanup/registry.js';

function options(scope: CleanupScope): { signal?: AbortSignal } {
  return scope.signal ? { signal: scope.signal } : {};
}

const allTenants = (scope: CleanupScope) => (scope.allProjects ? { all_tenants: 1 } : {});

registerCleanupResource<blockStorage.VolumeType>({
  service: 'cinder',
  resource: 'volume_types',
  order: 401,
  adminRequired: true,
  performForAdminOnly: true,
  list: (scope) => blockStorage.listVolumeTypes(scope.session, { ...options(scope), isPublic: 'None' }),
  id: (type) => type.id,
  name: (type) => type.name,
  delete: (scope, type) => blockStorage.deleteVolumeType(scope.session, type.id, options(scope)),
});

registerCleanupResource<blockStorage.Snapshot>({
  service: 'cinder',
  resource: 'volume_snapshots',
  order: 402,
  tenantResource: true,
  list: (scope) => blockStorage.listSnapshots(scope.session, { ...options(scope), query: allTenants(scope) }),
  id: (snapshot) => snapshot.id,
  name: (snapshot) => snapshot.name ?? '',
  delete: (scope, snapshot) => blockStorage.deleteSnapshot(scope.session, snapshot.id, options(scope)),
  isDeleted: async (scope, snapshot) => {
    try {
      const current = await blockStorage.getSnapshot(scope.session, snapshot.id, options(scope));
      return current.status.toLowerCase() === 'deleted';
    } catch (error) {
      if ((error as { status?: number }).status === 404) return true;
      throw error;
    }
  },
});

registerCleanupResource<blockStorage.Volume>({
  service: 'cinder',
  resource: 'volumes',
  order: 404,
  tenantResource: true,
  list: (scope) => blockStorage.listVolumes(scope.session, { ...options(scope), query: allTenants(scope) }),
  id: (volume) => volume.id,
  name: (volume) => volume.name ?? '',
  delete: (scope, volume) => blockStorage.deleteVolume(scope.session, volume.id, options(scope)),
  isDeleted: async (scope, volume) => {
    try {
      const current = await blockStorage.getVolume(scope.session, volume.id, options(scope));
      return current.status.toLowerCase() === 'deleted';
    } catch (error) {
      if ((error as { status?: number }).status === 404) return true;
      throw error;
    }
  },
});
