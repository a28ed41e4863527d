/**
 * The `network` context (Rally's network@openstack, order 350): in every project, as the
 * project's first user, networks_per_tenant networks with subnets_per_network subnets each and,
 * unless router is {}, a router for them; fills tenants[id].networks (each with router_id and
 * subnets) and tenants[id].subnets. Cleanup deletes this owner's context-named ports, subnets,
 * networks and routers through the cleanup managers, like Rally's.
 */
import { isJsonObject } from '../../../common/json.js';
import { registerContext, type ContextRunApi } from '../../../engine/context.js';
import { RallyException } from '../../../engine/exceptions.js';
import { cleanupResources } from '../cleanup/manager.js';
import { findCleanupResources } from '../cleanup/registry.js';
import { randomName } from '../names.js';
import type { OpenStackTenant, OpenStackUser } from '../platform.js';
import { NeutronService } from '../neutron/service.js';
import type { Network, Subnet } from '../../../openstack/network.js';

interface NetworkConfig {
  start_cidr: string;
  networks_per_tenant: number;
  subnets_per_network: number;
  network_create_args: Record<string, unknown>;
  dns_nameservers?: string[];
  dualstack: boolean;
  router: Record<string, unknown> | null;
}

/** Rally's _iterate_per_tenants: each project once, with its first user. */
export function firstUserPerTenant(api: ContextRunApi): Array<{ user: OpenStackUser; tenant: OpenStackTenant }> {
  const tenants = api.data.tenants ?? {};
  const seen = new Set<string>();
  const out: Array<{ user: OpenStackUser; tenant: OpenStackTenant }> = [];
  for (const user of api.data.users ?? []) {
    const tenant = tenants[user.projectId];
    if (!tenant || seen.has(tenant.id)) continue;
    seen.add(tenant.id);
    out.push({ user, tenant });
  }
  return out;
}

export const networkContext = registerContext({
  name: 'network',
  platform: 'openstack',
  order: 350,
  description: 'Create networking resources.',
  schema: {
    type: 'object',
    properties: {
      start_cidr: { type: 'string' },
      networks_per_tenant: { type: 'integer', minimum: 1 },
      subnets_per_network: { type: 'integer', minimum: 1 },
      network_create_args: { type: 'object', additionalProperties: true },
      dns_nameservers: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      dualstack: { type: 'boolean' },
      router: {
        type: 'object',
        properties: {
          external: { type: 'boolean', description: 'Create a new external router.' },
          enable_snat: { type: 'boolean', description: 'Whether to enable SNAT for a router if there is following extension or not' },
          external_gateway_info: {
            description: 'The external gateway information .',
            type: 'object',
            properties: { network_id: { type: 'string' }, enable_snat: { type: 'boolean' } },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  defaultConfig: {
    start_cidr: '10.2.0.0/24',
    networks_per_tenant: 1,
    subnets_per_network: 1,
    network_create_args: {},
    router: { external: true },
    dualstack: false,
  },
  create: () => ({
    async setup(api) {
      const config = (isJsonObject(api.config) ? api.config : {}) as unknown as NetworkConfig;
      for (const { user, tenant } of firstUserPerTenant(api)) {
        const networks: Network[] = [];
        const subnets: Subnet[] = [];
        tenant['networks'] = networks;
        tenant['subnets'] = subnets;
        const neutron = new NeutronService({
          session: user.session,
          atomic: (name, fn) => api.atomic(name, fn),
          randomName: () => randomName(api, 'context'),
          signal: api.signal,
        });
        const subnetCreateArgs: Record<string, unknown> = { start_cidr: config.dualstack ? null : config.start_cidr };
        if (config.dns_nameservers !== undefined) subnetCreateArgs['dns_nameservers'] = config.dns_nameservers;
        // {} (or null) means no router, the old behaviour; "external" becomes discover_external_gw
        let routerCreateArgs: Record<string, unknown> | null = { ...(config.router ?? {}) };
        if (Object.keys(routerCreateArgs).length === 0) routerCreateArgs = null;
        else if ('external' in routerCreateArgs) {
          const { external, ...rest } = routerCreateArgs;
          routerCreateArgs = { ...rest, discover_external_gw: external };
        }
        for (let i = 0; i < config.networks_per_tenant; i++) {
          const topology = await neutron.createNetworkTopology({
            networkCreateArgs: { ...config.network_create_args },
            subnetCreateArgs,
            subnetsDualstack: config.dualstack,
            subnetsCount: config.subnets_per_network,
            routerCreateArgs,
          });
          (topology.network as Network & { router_id: string | null }).router_id = topology.routers[0]?.id ?? null;
          networks.push(topology.network);
          subnets.push(...topology.subnets);
        }
      }
    },
    async cleanup(api) {
      const report = await cleanupResources({
        managers: findCleanupResources(['neutron.subnet', 'neutron.network', 'neutron.router', 'neutron.port']),
        ...(api.data.admin ? { admin: api.data.admin.session } : {}),
        users: api.data.users ?? [],
        ownerId: api.workload.workloadUuid,
        kinds: ['context'],
        signal: api.signal,
      });
      if (report.failures.length > 0) throw new RallyException(`network cleanup failed: ${report.failures.join('; ')}`);
    },
  }),
});
