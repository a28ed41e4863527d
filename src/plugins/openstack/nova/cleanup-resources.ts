/**
 * Nova's cleanup resource managers (Rally's NovaServer, NovaServerGroups, NovaKeypair, NovaFlavors
 * in rally_openstack/task/cleanup/resources.py; orders 200, 201, 202, 204 as there).
 */
import { apiPath, compute, isHttpStatus } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import { registerCleanupResource } from '../cleanup/registry.js';

/** Rally's default is_deleted: a 404 or status "deleted". */
async function goneOrDeleted(get: () => Promise<{ status?: string; name?: string }>): Promise<boolean> {
  try {
    return (await get()).status?.toLowerCase() === 'deleted';
  } catch (error) {
    if (isHttpStatus(error, 404)) return true;
    throw error;
  }
}

registerCleanupResource<compute.Server>({
  service: 'nova',
  resource: 'servers',
  order: 200,
  tenantResource: true,
  list: ({ session, allProjects, signal }) => compute.listServers(session, { query: allProjects ? { all_tenants: 1 } : {}, ...(signal ? { signal } : {}) }),
  id: (server) => server.id,
  name: (server) => server.name,
  async delete({ session }, server) {
    try {
      await compute.deleteServer(session, server.id);
    } catch (error) {
      // a locked server refuses deletion (409): Rally unlocks it first
      if (!isHttpStatus(error, 409)) throw error;
      await compute.unlockServer(session, server.id);
      await compute.deleteServer(session, server.id);
    }
  },
  isDeleted: ({ session }, server) => goneOrDeleted(() => compute.getServer(session, server.id)),
});

registerCleanupResource<compute.ServerGroup>({
  service: 'nova',
  resource: 'server_groups',
  order: 201,
  tenantResource: true,
  list: ({ session, allProjects, signal }) =>
    compute.listServerGroups(session, { query: allProjects ? { all_projects: true } : {}, ...(signal ? { signal } : {}) }),
  id: (group) => group.id,
  name: (group) => group.name,
  delete: ({ session }, group) => compute.deleteServerGroup(session, group.id),
  isDeleted: ({ session }, group) => goneOrDeleted(async () => ({ name: (await compute.getServerGroup(session, group.id)).name })),
});

/** Keypairs belong to users: listed and deleted with each user's session (synchronous deletion). */
registerCleanupResource<compute.Keypair>({
  service: 'nova',
  resource: 'keypairs',
  order: 202,
  list: ({ session, signal }) => compute.listKeypairs(session, signal ? { signal } : {}),
  id: (keypair) => keypair.name,
  name: (keypair) => keypair.name,
  delete: ({ session }, keypair) => compute.deleteKeypair(session, keypair.name),
});

function flavorGone(session: OpenStackSession, flavorId: string): Promise<boolean> {
  return goneOrDeleted(async () => {
    await compute.getFlavor(session, flavorId);
    return {};
  });
}

registerCleanupResource<compute.Flavor>({
  service: 'nova',
  resource: 'flavors',
  order: 204,
  adminRequired: true,
  performForAdminOnly: true,
  // private flavors are listed only with is_public=None ("all")
  list: ({ session, signal }) => compute.listFlavors(session, { query: { is_public: 'None' }, ...(signal ? { signal } : {}) }),
  id: (flavor) => flavor.id,
  name: (flavor) => flavor.name,
  delete: ({ session }, flavor) => compute.deleteFlavor(session, flavor.id),
  isDeleted: ({ session }, flavor) => flavorGone(session, flavor.id),
});

interface AggregateRecord {
  id: number;
  name: string;
  hosts: string[];
}

/** Aggregates: hosts removed first, then deleted (synchronous, like Rally's NovaAggregate). */
registerCleanupResource<AggregateRecord>({
  service: 'nova',
  resource: 'aggregates',
  order: 205,
  adminRequired: true,
  performForAdminOnly: true,
  list: async ({ session, signal }) =>
    (await session.request<{ aggregates: AggregateRecord[] }>('compute', 'GET', '/os-aggregates', signal ? { signal } : {})).body.aggregates,
  id: (aggregate) => String(aggregate.id),
  name: (aggregate) => aggregate.name,
  async delete({ session }, aggregate) {
    for (const host of aggregate.hosts ?? []) {
      await session.request('compute', 'POST', apiPath`/os-aggregates/${String(aggregate.id)}/action`, { body: { remove_host: { host } } });
    }
    await session.request('compute', 'DELETE', apiPath`/os-aggregates/${String(aggregate.id)}`);
  },
});
