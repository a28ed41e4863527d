/** Nova flavor calls with Rally's atomic action names; all as the admin, like NovaScenario's. */
import { apiPath, compute } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import type { Actor } from '../glance/actor.js';

/** The NovaFlavors.* creation arguments (novaclient flavors.create). */
export interface FlavorArgs {
  ram: number;
  vcpus: number;
  disk: number;
  flavorid?: string;
  ephemeral?: number;
  swap?: number;
  rxtx_factor?: number;
  is_public?: boolean;
}

export function flavorArgsSchema(extra: Record<string, unknown> = {}, required: string[] = []): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      ram: { type: 'integer', minimum: 1 },
      vcpus: { type: 'integer', minimum: 1 },
      disk: { type: 'integer', minimum: 0 },
      flavorid: { type: 'string' },
      ephemeral: { type: 'integer', minimum: 0 },
      swap: { type: 'integer', minimum: 0 },
      rxtx_factor: { type: 'number' },
      is_public: { type: 'boolean' },
      ...extra,
    },
    required: ['ram', 'vcpus', 'disk', ...required],
    additionalProperties: false,
  };
}

/** nova.create_flavor ("auto" flavorid: Nova picks the id). */
export function createFlavor(actor: Actor, admin: OpenStackSession, name: string, args: FlavorArgs): Promise<compute.Flavor> {
  return actor.atomic('nova.create_flavor', () =>
    compute.createFlavor(
      admin,
      {
        name,
        ram: args.ram,
        vcpus: args.vcpus,
        disk: args.disk,
        ...(args.flavorid && args.flavorid !== 'auto' ? { id: args.flavorid } : {}),
        'OS-FLV-EXT-DATA:ephemeral': args.ephemeral ?? 0,
        ...(args.swap ? { swap: args.swap } : {}),
        rxtx_factor: args.rxtx_factor ?? 1.0,
        'os-flavor-access:is_public': args.is_public ?? true,
      },
      { signal: actor.signal },
    ),
  );
}

export function getFlavor(actor: Actor, admin: OpenStackSession, flavorId: string): Promise<compute.Flavor> {
  return actor.atomic('nova.get_flavor', () => compute.getFlavor(admin, flavorId, { signal: actor.signal }));
}

export function deleteFlavor(actor: Actor, admin: OpenStackSession, flavorId: string): Promise<void> {
  return actor.atomic('nova.delete_flavor', () => compute.deleteFlavor(admin, flavorId, { signal: actor.signal }));
}

/** nova.list_flavors with novaclient's filters (detailed or not). */
export function listFlavors(actor: Actor, session: OpenStackSession, detailed: boolean, query: Record<string, string | number | undefined>): Promise<unknown[]> {
  return actor.atomic('nova.list_flavors', async () => {
    const response = await session.request<{ flavors: unknown[] }>('compute', 'GET', detailed ? '/flavors/detail' : '/flavors', { query, signal: actor.signal });
    return response.body.flavors;
  });
}

/** nova.set_flavor_keys: extra specs values are sent as strings, as novaclient does. */
export function setFlavorKeys(actor: Actor, admin: OpenStackSession, flavorId: string, extraSpecs: Record<string, unknown>): Promise<Record<string, string>> {
  const specs = Object.fromEntries(Object.entries(extraSpecs).map(([key, value]) => [key, String(value)]));
  return actor.atomic('nova.set_flavor_keys', () => compute.setFlavorExtraSpecs(admin, flavorId, specs, { signal: actor.signal }));
}

export function listFlavorAccess(actor: Actor, admin: OpenStackSession, flavorId: string): Promise<unknown> {
  return actor.atomic('nova.list_flavor_access', async () => (await admin.request('compute', 'GET', apiPath`/flavors/${flavorId}/os-flavor-access`, { signal: actor.signal })).body);
}

export function addTenantAccess(actor: Actor, admin: OpenStackSession, flavorId: string, projectId: string): Promise<unknown> {
  return actor.atomic('nova.add_tenant_access', async () =>
    (await admin.request('compute', 'POST', apiPath`/flavors/${flavorId}/action`, { body: { addTenantAccess: { tenant: projectId } }, signal: actor.signal })).body,
  );
}
