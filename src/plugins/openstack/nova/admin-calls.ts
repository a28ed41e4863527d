/**
 * Admin-only Nova calls with Rally's atomic action names: hypervisors, services, availability
 * zones and host aggregates (NovaScenario._list_hypervisors, _create_aggregate, ...).
 */
import { apiPath } from '../../../openstack/index.js';
import type { OpenStackSession, Query } from '../../../openstack/index.js';
import type { Actor } from '../glance/actor.js';

export interface Hypervisor {
  id: number | string;
  hypervisor_hostname: string;
  state?: string;
  status?: string;
  service?: { host: string; id?: number | string };
}

export interface Aggregate {
  id: number;
  name: string;
  availability_zone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
}

async function getJson<T>(actor: Actor, session: OpenStackSession, path: string, key: string, query?: Query): Promise<T> {
  const response = await session.request<Record<string, T>>('compute', 'GET', path, { signal: actor.signal, ...(query ? { query } : {}) });
  return response.body[key] as T;
}

async function postJson<T>(actor: Actor, session: OpenStackSession, path: string, body: unknown, key?: string): Promise<T> {
  const response = await session.request<Record<string, T>>('compute', 'POST', path, { body, signal: actor.signal });
  return (key ? response.body?.[key] : response.body) as T;
}

export function listHypervisors(actor: Actor, admin: OpenStackSession, detailed = true): Promise<Hypervisor[]> {
  return actor.atomic('nova.list_hypervisors', () => getJson<Hypervisor[]>(actor, admin, detailed ? '/os-hypervisors/detail' : '/os-hypervisors', 'hypervisors'));
}

export function getHypervisor(actor: Actor, admin: OpenStackSession, hypervisor: Hypervisor): Promise<Hypervisor> {
  return actor.atomic('nova.get_hypervisor', () => getJson<Hypervisor>(actor, admin, apiPath`/os-hypervisors/${String(hypervisor.id)}`, 'hypervisor'));
}

export function statisticsHypervisors(actor: Actor, admin: OpenStackSession): Promise<unknown> {
  return actor.atomic('nova.statistics_hypervisors', () => getJson(actor, admin, '/os-hypervisors/statistics', 'hypervisor_statistics'));
}

export function uptimeHypervisor(actor: Actor, admin: OpenStackSession, hypervisor: Hypervisor): Promise<unknown> {
  return actor.atomic('nova.uptime_hypervisor', () => getJson(actor, admin, apiPath`/os-hypervisors/${String(hypervisor.id)}/uptime`, 'hypervisor'));
}

export function searchHypervisors(actor: Actor, admin: OpenStackSession, match: string): Promise<unknown> {
  return actor.atomic('nova.search_hypervisors', () => getJson(actor, admin, apiPath`/os-hypervisors/${match}/search`, 'hypervisors'));
}

export function listServices(actor: Actor, admin: OpenStackSession, host?: string | null, binary?: string | null): Promise<unknown> {
  return actor.atomic('nova.list_services', () => getJson(actor, admin, '/os-services', 'services', { host: host ?? undefined, binary: binary ?? undefined }));
}

export function listAvailabilityZones(actor: Actor, admin: OpenStackSession, detailed = true): Promise<unknown> {
  return actor.atomic('nova.list_availability_zones', () =>
    getJson(actor, admin, detailed ? '/os-availability-zone/detail' : '/os-availability-zone', 'availabilityZoneInfo'),
  );
}

export function listAggregates(actor: Actor, admin: OpenStackSession): Promise<Aggregate[]> {
  return actor.atomic('nova.list_aggregates', () => getJson<Aggregate[]>(actor, admin, '/os-aggregates', 'aggregates'));
}

export function createAggregate(actor: Actor, admin: OpenStackSession, name: string, availabilityZone: string | null | undefined): Promise<Aggregate> {
  return actor.atomic('nova.create_aggregate', () =>
    postJson<Aggregate>(actor, admin, '/os-aggregates', { aggregate: { name, availability_zone: availabilityZone ?? null } }, 'aggregate'),
  );
}

export function getAggregateDetails(actor: Actor, admin: OpenStackSession, aggregate: Aggregate): Promise<Aggregate> {
  return actor.atomic('nova.get_aggregate_details', () => getJson<Aggregate>(actor, admin, apiPath`/os-aggregates/${String(aggregate.id)}`, 'aggregate'));
}

export function deleteAggregate(actor: Actor, admin: OpenStackSession, aggregate: Aggregate): Promise<void> {
  return actor.atomic('nova.delete_aggregate', async () => {
    await admin.request('compute', 'DELETE', apiPath`/os-aggregates/${String(aggregate.id)}`, { signal: actor.signal });
  });
}

/** nova.update_aggregate: a new random name and availability zone, like Rally's. */
export function updateAggregate(actor: Actor, admin: OpenStackSession, aggregate: Aggregate, name: string, availabilityZone: string): Promise<Aggregate> {
  return actor.atomic('nova.update_aggregate', async () => {
    const response = await admin.request<{ aggregate: Aggregate }>('compute', 'PUT', apiPath`/os-aggregates/${String(aggregate.id)}`, {
      body: { aggregate: { name, availability_zone: availabilityZone } },
      signal: actor.signal,
    });
    return response.body.aggregate;
  });
}

function aggregateAction(atomicName: string, action: string) {
  return (actor: Actor, admin: OpenStackSession, aggregate: Aggregate, value: unknown): Promise<Aggregate> =>
    actor.atomic(atomicName, () => postJson<Aggregate>(actor, admin, apiPath`/os-aggregates/${String(aggregate.id)}/action`, { [action]: value }, 'aggregate'));
}

const addHost = aggregateAction('nova.aggregate_add_host', 'add_host');
const removeHost = aggregateAction('nova.aggregate_remove_host', 'remove_host');
const setMetadata = aggregateAction('nova.aggregate_set_metadata', 'set_metadata');

export const aggregateAddHost = (actor: Actor, admin: OpenStackSession, aggregate: Aggregate, host: string) => addHost(actor, admin, aggregate, { host });
export const aggregateRemoveHost = (actor: Actor, admin: OpenStackSession, aggregate: Aggregate, host: string) => removeHost(actor, admin, aggregate, { host });
export const aggregateSetMetadata = (actor: Actor, admin: OpenStackSession, aggregate: Aggregate, metadata: Record<string, string>) =>
  setMetadata(actor, admin, aggregate, { metadata });
