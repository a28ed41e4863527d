/**
 * The `servers` context (Rally's ServerGenerator, order 430): boots `servers_per_tenant` servers
 * in every project (as its first user, like NovaScenario._boot_servers: one request per server,
 * waited until ACTIVE) and lists their ids in tenants[id].servers. Cleanup deletes, per project,
 * the servers of this context's boot requests (found by name prefix, so a half-done setup is
 * cleaned too) and waits until they are gone.
 */
import { registerContext } from '../../../engine/context.js';
import { compute, isHttpStatus } from '../../../openstack/index.js';
import { contextActor } from '../glance/actor.js';
import { randomName } from '../names.js';
import { usersPerTenant } from '../nova/per-tenant.js';
import { resolveFlavor, resolveImage } from '../nova/resource-types.js';
import { bootServers, chooseNics, NOVA_WAITS, type BootOptions, type NicSpec } from '../nova/service.js';

interface ServersConfig {
  image: { name?: string };
  flavor: { name?: string };
  servers_per_tenant: number;
  auto_assign_nic: boolean;
  nics?: Array<{ 'net-id'?: string } | string>;
}

export const serversContext = registerContext({
  name: 'servers',
  platform: 'openstack',
  description: 'Creates specified amount of Nova Servers per each tenant.',
  order: 430,
  defaultConfig: { servers_per_tenant: 5, auto_assign_nic: false },
  schema: {
    type: 'object',
    properties: {
      image: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
      flavor: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
      servers_per_tenant: { type: 'integer', minimum: 1 },
      auto_assign_nic: { type: 'boolean' },
      nics: {
        type: 'array',
        items: { oneOf: [{ type: 'object', properties: { 'net-id': { type: 'string' } }, additionalProperties: false }, { type: 'string' }] },
        minItems: 1,
      },
    },
    required: ['image', 'flavor'],
    additionalProperties: false,
  },
  create() {
    // the name prefix of each project's boot requests, for cleanup
    const prefixes = new Map<string, string>();
    return {
      async setup(api) {
        const config = api.config as unknown as ServersConfig;
        const [imageId, flavorId] = await Promise.all([resolveImage(api.data, config.image, api.signal), resolveFlavor(api.data, config.flavor, api.signal)]);
        const explicitNics: NicSpec[] | undefined = config.nics?.map((nic) => (typeof nic === 'string' ? { 'net-id': nic } : nic));
        const actor = contextActor(api);
        let iteration = 0;
        for (const { user, tenant } of usersPerTenant(api.data)) {
          const options: BootOptions = explicitNics ? { nics: explicitNics } : {};
          // _boot_servers takes nics only from the config or auto_assign_nic
          const nics = chooseNics(options, tenant, iteration++, config.auto_assign_nic);
          if (Array.isArray(nics) && (explicitNics || config.auto_assign_nic)) options.nics = nics;
          const prefix = randomName(api, 'scenario');
          prefixes.set(tenant.id, prefix);
          const servers = await bootServers(actor, user.session, prefix, imageId, flavorId, config.servers_per_tenant, 1, options);
          tenant['servers'] = servers.map((server) => server.id);
        }
      },
      async cleanup(api) {
        const failures: string[] = [];
        for (const { user, tenant } of usersPerTenant(api.data)) {
          const prefix = prefixes.get(tenant.id);
          if (!prefix) continue;
          const servers = (await compute.listServers(user.session)).filter((server) => server.name.startsWith(prefix));
          for (const server of servers) {
            try {
              await compute.deleteServer(user.session, server.id);
            } catch (error) {
              if (!isHttpStatus(error, 404)) failures.push(`server ${server.id}: ${(error as Error).message}`);
            }
          }
          for (const server of servers) {
            try {
              await compute.waitForServerDeleted(user.session, server, { timeout: NOVA_WAITS.delete.timeout, pollInterval: NOVA_WAITS.delete.poll });
            } catch (error) {
              failures.push(`server ${server.id}: ${(error as Error).message}`);
            }
          }
        }
        if (failures.length > 0) throw new Error(`servers cleanup failed for ${failures.join('; ')}`);
      },
    };
  },
});
