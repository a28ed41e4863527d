/**
 * Neutron's cleanup resource managers (Rally's NeutronPort/Subnet/Network/Router/SecurityGroup,
 * orders 312-316: ports first, routers after the networks whose interfaces they held). Listed per
 * project. A router's interface ports have no name: they carry their router's name, and deleting
 * one detaches it from the router (Rally's NeutronPort).
 */
import { network, type OpenStackSession } from '../../../openstack/index.js';
import type { Port, Router } from '../../../openstack/network.js';
import { registerCleanupResource, type CleanupScope } from '../cleanup/registry.js';
import { NeutronService } from './service.js';

/** Project filter of a listing (all projects in an admin sweep). */
function projectQuery(scope: CleanupScope): Record<string, string> {
  return !scope.allProjects && scope.projectId ? { project_id: scope.projectId } : {};
}

function inProject<R extends { project_id?: string; tenant_id?: string }>(scope: CleanupScope, items: R[]): R[] {
  if (scope.allProjects || !scope.projectId) return items;
  return items.filter((item) => (item.project_id ?? item.tenant_id) === scope.projectId);
}

function options(scope: CleanupScope): { signal?: AbortSignal } {
  return scope.signal ? { signal: scope.signal } : {};
}

/** A NeutronService without atomic timing or naming, for deletes. */
function quietNeutron(session: OpenStackSession, signal?: AbortSignal): NeutronService {
  return new NeutronService({ session, atomic: (_name, fn) => Promise.resolve(fn()), randomName: () => '', ...(signal ? { signal } : {}) });
}

const ROUTER_OWNED = new Set([
  'network:router_interface',
  'network:router_interface_distributed',
  'network:ha_router_replicated_interface',
  'network:router_gateway',
]);

type NamedPort = Port & { parent_name?: string };

registerCleanupResource<NamedPort>({
  service: 'neutron',
  resource: 'port',
  order: 312,
  tenantResource: true,
  async list(scope) {
    const query = projectQuery(scope);
    const ports = inProject(scope, await network.listPorts(scope.session, { ...options(scope), query }));
    let routers: Router[] | undefined;
    for (const port of ports as NamedPort[]) {
      if (port.name || !ROUTER_OWNED.has(port.device_owner)) continue;
      routers ??= inProject(scope, await network.listRouters(scope.session, { ...options(scope), query }));
      const router = routers.find((r) => r.id === port.device_id);
      if (router?.name) port.parent_name = router.name;
    }
    return ports;
  },
  id: (port) => port.id,
  name: (port) => port.parent_name ?? port.name ?? '',
  delete: (scope, port) => quietNeutron(scope.session, scope.signal).deletePort(port),
});

registerCleanupResource<network.Subnet>({
  service: 'neutron',
  resource: 'subnet',
  order: 313,
  tenantResource: true,
  list: async (scope) => inProject(scope, await network.listSubnets(scope.session, { ...options(scope), query: projectQuery(scope) })),
  id: (subnet) => subnet.id,
  name: (subnet) => subnet.name,
  delete: (scope, subnet) => network.deleteSubnet(scope.session, subnet.id, options(scope)),
});

registerCleanupResource<network.Network>({
  service: 'neutron',
  resource: 'network',
  order: 314,
  tenantResource: true,
  list: async (scope) => inProject(scope, await network.listNetworks(scope.session, { ...options(scope), query: projectQuery(scope) })),
  id: (net) => net.id,
  name: (net) => net.name,
  delete: (scope, net) => network.deleteNetwork(scope.session, net.id, options(scope)),
});

registerCleanupResource<Router>({
  service: 'neutron',
  resource: 'router',
  order: 315,
  tenantResource: true,
  list: async (scope) => inProject(scope, await network.listRouters(scope.session, { ...options(scope), query: projectQuery(scope) })),
  id: (router) => router.id,
  name: (router) => router.name,
  delete: (scope, router) => network.deleteRouter(scope.session, router.id, options(scope)),
});

registerCleanupResource<network.SecurityGroup>({
  service: 'neutron',
  resource: 'security_group',
  order: 316,
  tenantResource: true,
  // never the project's "default" group
  list: async (scope) =>
    inProject(scope, await network.listSecurityGroups(scope.session, { ...options(scope), query: projectQuery(scope) })).filter((g) => g.name !== 'default'),
  id: (group) => group.id,
  name: (group) => group.name,
  delete: (scope, group) => network.deleteSecurityGroup(scope.session, group.id, options(scope)),
});
