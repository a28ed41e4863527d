/**
 * Nova (compute, /v2.1): flavors, servers and their actions, keypairs, server groups, quotas,
 * availability zones, and waits for a server status or deletion. Microversions come from the
 * session (or `microversion` per call); response fields are typed as in the base 2.1 API, with
 * later additions optional.
 */
import { listAll } from './pagination.js';
import type { ListOptions } from './pagination.js';
import type { OpenStackSession, Query, RequestOptions } from './session.js';
import { apiPath, requireKey } from './session.js';
import { waitForDeletion, waitForStatus } from './waiters.js';
import type { WaitTarget, WaitTiming } from './waiters.js';

type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs' | 'microversion'>;

const opts = (options: CallOptions | undefined, extra: RequestOptions = {}): RequestOptions => ({ ...options, ...extra });

// ---- flavors

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  'OS-FLV-EXT-DATA:ephemeral'?: number;
  swap?: number | '';
  rxtx_factor?: number;
  'os-flavor-access:is_public'?: boolean;
  description?: string | null;
}

export interface CreateFlavorRequest {
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  id?: string;
  'OS-FLV-EXT-DATA:ephemeral'?: number;
  swap?: number;
  rxtx_factor?: number;
  'os-flavor-access:is_public'?: boolean;
}

/** GET /flavors/detail (all pages). */
export function listFlavors(session: OpenStackSession, options?: ListOptions): Promise<Flavor[]> {
  return listAll<Flavor>(session, 'compute', '/flavors/detail', 'flavors', 'links', options);
}

export async function getFlavor(session: OpenStackSession, flavorId: string, options?: CallOptions): Promise<Flavor> {
  return requireKey<Flavor>(await session.request('compute', 'GET', apiPath`/flavors/${flavorId}`, opts(options)), 'flavor');
}

export async function createFlavor(session: OpenStackSession, flavor: CreateFlavorRequest, options?: CallOptions): Promise<Flavor> {
  return requireKey<Flavor>(await session.request('compute', 'POST', '/flavors', opts(options, { body: { flavor } })), 'flavor');
}

export async function deleteFlavor(session: OpenStackSession, flavorId: string, options?: CallOptions): Promise<void> {
  await session.request('compute', 'DELETE', apiPath`/flavors/${flavorId}`, opts(options));
}

/** POST /flavors/{id}/os-extra_specs */
export async function setFlavorExtraSpecs(session: OpenStackSession, flavorId: string, extraSpecs: Record<string, string>, options?: CallOptions): Promise<Record<string, string>> {
  const response = await session.request('compute', 'POST', apiPath`/flavors/${flavorId}/os-extra_specs`, opts(options, { body: { extra_specs: extraSpecs } }));
  return requireKey<Record<string, string>>(response, 'extra_specs');
}

// ---- servers

export interface ServerFault {
  code: number;
  message: string;
  details?: string;
  created: string;
}

export interface ServerAddress {
  addr: string;
  version: number;
  'OS-EXT-IPS:type'?: 'fixed' | 'floating';
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

export interface Server {
  id: string;
  name: string;
  status: string;
  tenant_id: string;
  user_id: string;
  /** {id} up to 2.46, the flavor's details from 2.47 */
  flavor: { id?: string; original_name?: string; [key: string]: unknown };
  /** {id} or "" when booted from volume */
  image: { id: string } | '';
  addresses: Record<string, ServerAddress[]>;
  metadata: Record<string, string>;
  created: string;
  updated: string;
  key_name?: string | null;
  fault?: ServerFault;
  'OS-EXT-STS:task_state'?: string | null;
  'OS-EXT-STS:vm_state'?: string;
  'OS-EXT-STS:power_state'?: number;
  'OS-EXT-SRV-ATTR:host'?: string | null;
  'OS-EXT-AZ:availability_zone'?: string;
  security_groups?: Array<{ name: string }>;
  'os-extended-volumes:volumes_attached'?: Array<{ id: string }>;
  [key: string]: unknown;
}

export interface BlockDeviceMapping {
  boot_index?: number | string | null;
  uuid?: string;
  source_type: 'image' | 'volume' | 'snapshot' | 'blank';
  destination_type?: 'local' | 'volume';
  volume_size?: number;
  delete_on_termination?: boolean;
  device_name?: string;
  volume_type?: string;
}

export interface CreateServerRequest {
  name: string;
  /** image id; "" when booting from a volume */
  imageRef?: string;
  flavorRef: string;
  /** [{uuid: network id} | {port: id} | {fixed_ip...}], or "auto"/"none" (2.37+) */
  networks?: Array<{ uuid?: string; port?: string; fixed_ip?: string; tag?: string }> | 'auto' | 'none';
  key_name?: string;
  security_groups?: Array<{ name: string }>;
  availability_zone?: string;
  metadata?: Record<string, string>;
  user_data?: string;
  config_drive?: boolean;
  min_count?: number;
  max_count?: number;
  block_device_mapping_v2?: BlockDeviceMapping[];
  adminPass?: string;
  description?: string;
  [key: string]: unknown;
}

export interface CreatedServer {
  id: string;
  adminPass?: string;
  links: Array<{ rel: string; href: string }>;
  security_groups?: Array<{ name: string }>;
  'OS-DCF:diskConfig'?: string;
}

/** Scheduler hints go next to "server" in the body (os:scheduler_hints). */
export async function createServer(
  session: OpenStackSession,
  server: CreateServerRequest,
  options?: CallOptions & { schedulerHints?: Record<string, unknown> },
): Promise<CreatedServer> {
  const body: Record<string, unknown> = { server };
  if (options?.schedulerHints) body['os:scheduler_hints'] = options.schedulerHints;
  const { schedulerHints: _hints, ...callOptions } = options ?? {};
  return requireKey<CreatedServer>(await session.request('compute', 'POST', '/servers', opts(callOptions, { body })), 'server');
}

export async function getServer(session: OpenStackSession, serverId: string, options?: CallOptions): Promise<Server> {
  return requireKey<Server>(await session.request('compute', 'GET', apiPath`/servers/${serverId}`, opts(options)), 'server');
}

/** GET /servers/detail (all pages by default); query e.g. {name: "^rally_", all_tenants: 1}. */
export function listServers(session: OpenStackSession, options?: ListOptions): Promise<Server[]> {
  return listAll<Server>(session, 'compute', '/servers/detail', 'servers', 'links', options);
}

export async function updateServer(session: OpenStackSession, serverId: string, changes: { name?: string; description?: string }, options?: CallOptions): Promise<Server> {
  return requireKey<Server>(await session.request('compute', 'PUT', apiPath`/servers/${serverId}`, opts(options, { body: { server: changes } })), 'server');
}

export async function deleteServer(session: OpenStackSession, serverId: string, options?: CallOptions): Promise<void> {
  await session.request('compute', 'DELETE', apiPath`/servers/${serverId}`, opts(options));
}

/**
 * POST /servers/{id}/action with one action, e.g. {"os-stop": null}, {"reboot": {"type": "SOFT"}},
 * {"resize": {"flavorRef": id}}. Returns the response body, if any (createImage, rescue...).
 */
export async function serverAction<T = unknown>(session: OpenStackSession, serverId: string, action: Record<string, unknown>, options?: CallOptions): Promise<T> {
  return (await session.request<T>('compute', 'POST', apiPath`/servers/${serverId}/action`, opts(options, { body: action }))).body;
}

export const rebootServer = (s: OpenStackSession, id: string, type: 'SOFT' | 'HARD' = 'SOFT', o?: CallOptions) => serverAction(s, id, { reboot: { type } }, o);
export const startServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { 'os-start': null }, o);
export const stopServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { 'os-stop': null }, o);
export const suspendServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { suspend: null }, o);
export const resumeServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { resume: null }, o);
export const pauseServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { pause: null }, o);
export const unpauseServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { unpause: null }, o);
export const lockServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { lock: null }, o);
export const unlockServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { unlock: null }, o);
export const shelveServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { shelve: null }, o);
export const unshelveServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { unshelve: null }, o);
export const rescueServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction<{ adminPass?: string }>(s, id, { rescue: null }, o);
export const unrescueServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { unrescue: null }, o);
export const resizeServer = (s: OpenStackSession, id: string, flavorId: string, o?: CallOptions) => serverAction(s, id, { resize: { flavorRef: flavorId } }, o);
export const confirmResizeServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { confirmResize: null }, o);
export const revertResizeServer = (s: OpenStackSession, id: string, o?: CallOptions) => serverAction(s, id, { revertResize: null }, o);
export const rebuildServer = (s: OpenStackSession, id: string, imageId: string, o?: CallOptions) =>
  serverAction<{ server: Server }>(s, id, { rebuild: { imageRef: imageId } }, o);

/** createImage action: the new image's id (from the body since 2.45, else the Location header). */
export async function createServerImage(session: OpenStackSession, serverId: string, name: string, options?: CallOptions & { metadata?: Record<string, string> }): Promise<string> {
  const { metadata, ...callOptions } = options ?? {};
  const response = await session.request<{ image_id?: string }>(
    'compute',
    'POST',
    apiPath`/servers/${serverId}/action`,
    opts(callOptions, { body: { createImage: { name, ...(metadata ? { metadata } : {}) } } }),
  );
  const id = response.body?.image_id ?? response.headers.get('location')?.split('/').pop();
  if (!id) throw new Error(`createImage on server ${serverId}: no image id in the response (request id ${response.requestId ?? '?'})`);
  return id;
}

/** GET /servers/{id}/os-volume_attachments, POST to attach, DELETE to detach. */
export interface VolumeAttachment {
  id: string;
  volumeId: string;
  serverId: string;
  device?: string | null;
}

export async function attachVolume(session: OpenStackSession, serverId: string, volumeId: string, options?: CallOptions & { device?: string }): Promise<VolumeAttachment> {
  const { device, ...callOptions } = options ?? {};
  const response = await session.request('compute', 'POST', apiPath`/servers/${serverId}/os-volume_attachments`, opts(callOptions, {
    body: { volumeAttachment: { volumeId, ...(device ? { device } : {}) } },
  }));
  return requireKey<VolumeAttachment>(response, 'volumeAttachment');
}

export async function detachVolume(session: OpenStackSession, serverId: string, volumeId: string, options?: CallOptions): Promise<void> {
  await session.request('compute', 'DELETE', apiPath`/servers/${serverId}/os-volume_attachments/${volumeId}`, opts(options));
}

export async function listVolumeAttachments(session: OpenStackSession, serverId: string, options?: CallOptions): Promise<VolumeAttachment[]> {
  return requireKey<VolumeAttachment[]>(await session.request('compute', 'GET', apiPath`/servers/${serverId}/os-volume_attachments`, opts(options)), 'volumeAttachments');
}

function serverTarget(session: OpenStackSession, server: { id: string; name?: string }): WaitTarget<Server> {
  return {
    type: 'Server',
    id: server.id,
    ...(server.name ? { name: server.name } : {}),
    get: (signal) => getServer(session, server.id, signal ? { signal } : {}),
    fault: (s) => (s.fault ? s.fault.message : undefined),
  };
}

/** Waits for a server status (e.g. ["ACTIVE"]); ERROR fails with the server's fault message. */
export function waitForServerStatus(
  session: OpenStackSession,
  server: { id: string; name?: string },
  ready: string[],
  timing: WaitTiming & { failure?: string[] },
): Promise<Server> {
  return waitForStatus(serverTarget(session, server), { ...timing, ready, ...(timing.failure ? { failure: timing.failure } : {}) });
}

/** Waits until the server is gone (404 or DELETED); ERROR on the way fails with its fault. */
export function waitForServerDeleted(session: OpenStackSession, server: { id: string; name?: string }, timing: WaitTiming): Promise<void> {
  return waitForDeletion(serverTarget(session, server), timing);
}

// ---- keypairs

export interface Keypair {
  name: string;
  public_key: string;
  fingerprint: string;
  /** only when Nova generated the key (before 2.92) */
  private_key?: string;
  type?: 'ssh' | 'x509';
  user_id?: string;
}

export async function createKeypair(session: OpenStackSession, keypair: { name: string; public_key?: string; type?: 'ssh' | 'x509'; user_id?: string }, options?: CallOptions): Promise<Keypair> {
  return requireKey<Keypair>(await session.request('compute', 'POST', '/os-keypairs', opts(options, { body: { keypair } })), 'keypair');
}

export async function getKeypair(session: OpenStackSession, name: string, options?: CallOptions): Promise<Keypair> {
  return requireKey<Keypair>(await session.request('compute', 'GET', apiPath`/os-keypairs/${name}`, opts(options)), 'keypair');
}

export async function deleteKeypair(session: OpenStackSession, name: string, options?: CallOptions): Promise<void> {
  await session.request('compute', 'DELETE', apiPath`/os-keypairs/${name}`, opts(options));
}

/** GET /os-keypairs: Nova wraps each as {"keypair": {...}}; unwrapped here. */
export async function listKeypairs(session: OpenStackSession, options?: ListOptions): Promise<Keypair[]> {
  const wrapped = await listAll<{ keypair: Keypair }>(session, 'compute', '/os-keypairs', 'keypairs', 'links', options);
  return wrapped.map((entry) => entry.keypair);
}

// ---- server groups

export interface ServerGroup {
  id: string;
  name: string;
  /** up to 2.63 */
  policies?: string[];
  /** from 2.64 */
  policy?: string;
  rules?: Record<string, unknown>;
  members: string[];
  project_id?: string;
  user_id?: string;
}

/** policies: ["anti-affinity"] up to 2.63; policy: "anti-affinity" from 2.64. */
export async function createServerGroup(session: OpenStackSession, group: { name: string; policies?: string[]; policy?: string; rules?: Record<string, unknown> }, options?: CallOptions): Promise<ServerGroup> {
  return requireKey<ServerGroup>(await session.request('compute', 'POST', '/os-server-groups', opts(options, { body: { server_group: group } })), 'server_group');
}

export async function getServerGroup(session: OpenStackSession, groupId: string, options?: CallOptions): Promise<ServerGroup> {
  return requireKey<ServerGroup>(await session.request('compute', 'GET', apiPath`/os-server-groups/${groupId}`, opts(options)), 'server_group');
}

export async function deleteServerGroup(session: OpenStackSession, groupId: string, options?: CallOptions): Promise<void> {
  await session.request('compute', 'DELETE', apiPath`/os-server-groups/${groupId}`, opts(options));
}

export function listServerGroups(session: OpenStackSession, options?: ListOptions): Promise<ServerGroup[]> {
  return listAll<ServerGroup>(session, 'compute', '/os-server-groups', 'server_groups', 'links', options);
}

// ---- quotas, availability zones, services, hypervisors

/** Nova quota set: -1 is unlimited. */
export interface ComputeQuotaSet {
  id?: string;
  instances?: number;
  cores?: number;
  ram?: number;
  key_pairs?: number;
  metadata_items?: number;
  server_groups?: number;
  server_group_members?: number;
  injected_files?: number;
  injected_file_content_bytes?: number;
  injected_file_path_bytes?: number;
  [key: string]: number | string | undefined;
}

export async function getComputeQuotas(session: OpenStackSession, projectId: string, options?: CallOptions & { query?: Query }): Promise<ComputeQuotaSet> {
  return requireKey<ComputeQuotaSet>(await session.request('compute', 'GET', apiPath`/os-quota-sets/${projectId}`, opts(options)), 'quota_set');
}

export async function updateComputeQuotas(session: OpenStackSession, projectId: string, quotas: ComputeQuotaSet, options?: CallOptions): Promise<ComputeQuotaSet> {
  return requireKey<ComputeQuotaSet>(await session.request('compute', 'PUT', apiPath`/os-quota-sets/${projectId}`, opts(options, { body: { quota_set: quotas } })), 'quota_set');
}

/** DELETE /os-quota-sets/{project}: back to the defaults. */
export async function resetComputeQuotas(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<void> {
  await session.request('compute', 'DELETE', apiPath`/os-quota-sets/${projectId}`, opts(options));
}

export interface AvailabilityZone {
  zoneName: string;
  zoneState: { available: boolean };
  hosts?: Record<string, unknown> | null;
}

/** GET /os-availability-zone (or /detail as admin). */
export async function listAvailabilityZones(session: OpenStackSession, options?: CallOptions & { detail?: boolean }): Promise<AvailabilityZone[]> {
  const { detail, ...callOptions } = options ?? {};
  return requireKey<AvailabilityZone[]>(await session.request('compute', 'GET', detail ? '/os-availability-zone/detail' : '/os-availability-zone', opts(callOptions)), 'availabilityZoneInfo');
}

export interface ComputeService {
  id: number | string;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
}

export async function listComputeServices(session: OpenStackSession, options?: CallOptions): Promise<ComputeService[]> {
  return requireKey<ComputeService[]>(await session.request('compute', 'GET', '/os-services', opts(options)), 'services');
}

export interface Hypervisor {
  id: number | string;
  hypervisor_hostname: string;
  state?: string;
  status?: string;
  [key: string]: unknown;
}

export function listHypervisors(session: OpenStackSession, options?: ListOptions): Promise<Hypervisor[]> {
  return listAll<Hypervisor>(session, 'compute', '/os-hypervisors/detail', 'hypervisors', 'links', options);
}
