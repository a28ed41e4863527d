/**
 * Nova calls with Rally's atomic action names, waits and pre-poll delays
 * (rally_openstack/task/scenarios/nova/utils.py NovaScenario). Pre-poll delays are Rally's
 * sleep_between: idle time, inside the atomic action but outside the iteration's duration.
 */
import { compute, listAll, network, ResourceNotFound, waitForDeletion, waitForStatus } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import type { Actor } from '../glance/actor.js';
import { deleteImage, getImage } from '../glance/service.js';
import type { OpenStackTenant } from '../platform.js';

/** A wait: CONF.openstack nova_server_<action>_{prepoll_delay,timeout,poll_interval} defaults. */
interface NovaWait {
  prepoll: number;
  timeout: number;
  poll: number;
}

export const NOVA_WAITS = {
  boot: { prepoll: 1, timeout: 300, poll: 2 },
  delete: { prepoll: 2, timeout: 300, poll: 2 },
  start: { prepoll: 0, timeout: 300, poll: 1 },
  stop: { prepoll: 0, timeout: 300, poll: 2 },
  reboot: { prepoll: 2, timeout: 300, poll: 2 },
  rebuild: { prepoll: 1, timeout: 300, poll: 1 },
  rescue: { prepoll: 2, timeout: 300, poll: 2 },
  unrescue: { prepoll: 2, timeout: 300, poll: 2 },
  suspend: { prepoll: 2, timeout: 300, poll: 2 },
  resume: { prepoll: 2, timeout: 300, poll: 2 },
  pause: { prepoll: 2, timeout: 300, poll: 2 },
  unpause: { prepoll: 2, timeout: 300, poll: 2 },
  shelve: { prepoll: 2, timeout: 300, poll: 2 },
  unshelve: { prepoll: 2, timeout: 300, poll: 2 },
  imageCreate: { prepoll: 0, timeout: 300, poll: 2 },
  imageDelete: { prepoll: 0, timeout: 300, poll: 2 },
  resize: { prepoll: 2, timeout: 400, poll: 4 },
  resizeConfirm: { prepoll: 0, timeout: 200, poll: 2 },
  resizeRevert: { prepoll: 0, timeout: 200, poll: 2 },
} satisfies Record<string, NovaWait>;

export interface ServerRef {
  id: string;
  name: string;
}

/** novaclient's nics entries: {"net-id"} or {"port-id"} or {"net-name"} (Rally resolves names). */
export interface NicSpec {
  'net-id'?: string;
  'port-id'?: string;
  'net-name'?: string;
  'v4-fixed-ip'?: string;
}

/** Arguments Rally passes through **kwargs to novaclient's servers.create. */
export interface BootOptions {
  nics?: NicSpec[] | 'auto' | 'none';
  key_name?: string;
  security_groups?: string[];
  availability_zone?: string;
  meta?: Record<string, string>;
  userdata?: string;
  config_drive?: boolean;
  scheduler_hints?: Record<string, unknown>;
  block_device_mapping_v2?: compute.BlockDeviceMapping[];
  admin_pass?: string;
  description?: string;
  /** path -> contents: novaclient sends them as "personality" (base64) */
  files?: Record<string, string>;
  disk_config?: 'AUTO' | 'MANUAL';
  access_ip_v4?: string;
  access_ip_v6?: string;
  [key: string]: unknown;
}

export const BOOT_OPTIONS_SCHEMA: Record<string, unknown> = {
  nics: { oneOf: [{ type: 'array', items: { type: ['object', 'string'] } }, { enum: ['auto', 'none'] }] },
  key_name: { type: 'string' },
  security_groups: { type: 'array', items: { type: 'string' } },
  availability_zone: { type: 'string' },
  auto_assign_nic: { type: 'boolean' },
};

/** Tenant networks created by the network context (Rally's context["tenant"]["networks"]). */
function tenantNetworks(tenant: OpenStackTenant | undefined): Array<{ id: string }> | undefined {
  const networks = tenant?.['networks'];
  return Array.isArray(networks) ? (networks as Array<{ id: string }>) : undefined;
}

/**
 * The networks of the request, as Rally picks them: explicit nics; with auto_assign_nic, the
 * tenant network (iteration % count); else the tenant's first network when the network context
 * made some; else none, so that Nova uses the one network the project can see.
 */
export function chooseNics(options: BootOptions, tenant: OpenStackTenant | undefined, iteration: number, autoAssignNic: boolean): NicSpec[] | 'auto' | 'none' | undefined {
  const networks = tenantNetworks(tenant);
  if (options.nics !== undefined && (typeof options.nics === 'string' || options.nics.length > 0)) return options.nics;
  if (autoAssignNic && networks && networks.length > 0) return [{ 'net-id': networks[iteration % networks.length]!.id }];
  if (options.nics === undefined && networks && networks.length > 0) return [{ 'net-id': networks[0]!.id }];
  return options.nics;
}

async function networkIdByName(session: OpenStackSession, name: string, signal: AbortSignal): Promise<string> {
  const found = (await network.listNetworks(session, { signal })).find((n) => n.name === name);
  if (!found) throw new Error(`Network ${name} not found.`);
  return found.id;
}

async function serverRequest(session: OpenStackSession, signal: AbortSignal, name: string, imageId: string, flavorId: string, options: BootOptions): Promise<{ request: compute.CreateServerRequest; hints?: Record<string, unknown> }> {
  const { nics, key_name, security_groups, availability_zone, meta, userdata, config_drive, scheduler_hints, block_device_mapping_v2, admin_pass, description, files, disk_config, access_ip_v4, access_ip_v6, auto_assign_nic: _auto, ...rest } = options;
  const request: compute.CreateServerRequest = { name, imageRef: imageId, flavorRef: flavorId, ...rest };
  if (Array.isArray(nics)) {
    request.networks = await Promise.all(
      nics.map(async (nic) => {
        if (nic['port-id']) return { port: nic['port-id'] };
        const uuid = nic['net-id'] ?? (nic['net-name'] ? await networkIdByName(session, nic['net-name'], signal) : undefined);
        return { ...(uuid ? { uuid } : {}), ...(nic['v4-fixed-ip'] ? { fixed_ip: nic['v4-fixed-ip'] } : {}) };
      }),
    );
  } else if (nics !== undefined) {
    request.networks = nics;
  }
  if (key_name) request.key_name = key_name;
  if (security_groups) request.security_groups = security_groups.map((group) => ({ name: group }));
  if (availability_zone) request.availability_zone = availability_zone;
  if (meta) request.metadata = meta;
  if (userdata) request.user_data = Buffer.from(userdata).toString('base64');
  if (config_drive !== undefined) request.config_drive = config_drive;
  if (block_device_mapping_v2) request.block_device_mapping_v2 = block_device_mapping_v2;
  if (admin_pass) request.adminPass = admin_pass;
  if (description) request.description = description;
  if (files) request['personality'] = Object.entries(files).map(([path, contents]) => ({ path, contents: Buffer.from(contents).toString('base64') }));
  if (disk_config) request['OS-DCF:diskConfig'] = disk_config;
  if (access_ip_v4) request['accessIPv4'] = access_ip_v4;
  if (access_ip_v6) request['accessIPv6'] = access_ip_v6;
  return { request, ...(scheduler_hints ? { hints: scheduler_hints } : {}) };
}

async function waitStatus(actor: Actor, session: OpenStackSession, server: ServerRef, ready: string[], wait: NovaWait, prepoll: boolean): Promise<compute.Server> {
  if (prepoll) await actor.sleepBetween(wait.prepoll);
  return compute.waitForServerStatus(session, server, ready, { timeout: wait.timeout, pollInterval: wait.poll, signal: actor.signal });
}

/** nova.boot_server: create, pre-poll delay, wait for ACTIVE. */
export async function bootServer(actor: Actor, session: OpenStackSession, name: string, imageId: string, flavorId: string, options: BootOptions = {}): Promise<ServerRef> {
  const { request, hints } = await serverRequest(session, actor.signal, name, imageId, flavorId, options);
  return actor.atomic('nova.boot_server', async () => {
    const created = await compute.createServer(session, request, { signal: actor.signal, ...(hints ? { schedulerHints: hints } : {}) });
    const server = { id: created.id, name };
    await waitStatus(actor, session, server, ['ACTIVE'], NOVA_WAITS.boot, true);
    return server;
  });
}

/**
 * nova.boot_servers: `requests` create calls of `instancesAmount` servers each (names
 * "<prefix>_<i>", Nova adds "-<n>" when it boots several), rediscovered by listing, all waited for.
 */
export async function bootServers(actor: Actor, session: OpenStackSession, prefix: string, imageId: string, flavorId: string, requests: number, instancesAmount: number, options: BootOptions = {}): Promise<ServerRef[]> {
  const prepared = await Promise.all(
    Array.from({ length: requests }, (_, i) => serverRequest(session, actor.signal, `${prefix}_${i}`, imageId, flavorId, options)),
  );
  return actor.atomic('nova.boot_servers', async () => {
    for (const { request, hints } of prepared) {
      await compute.createServer(session, { ...request, min_count: instancesAmount, max_count: instancesAmount }, { signal: actor.signal, ...(hints ? { schedulerHints: hints } : {}) });
    }
    const servers = (await compute.listServers(session, { signal: actor.signal }))
      .filter((s) => s.name.startsWith(prefix))
      .map((s) => ({ id: s.id, name: s.name }));
    await actor.sleepBetween(NOVA_WAITS.boot.prepoll);
    for (const server of servers) await waitStatus(actor, session, server, ['ACTIVE'], NOVA_WAITS.boot, false);
    return servers;
  });
}

/** nova.delete_server / nova.force_delete_server: delete and wait until gone. */
export function deleteServer(actor: Actor, session: OpenStackSession, server: ServerRef, force = false): Promise<void> {
  return actor.atomic(force ? 'nova.force_delete_server' : 'nova.delete_server', async () => {
    if (force) await compute.serverAction(session, server.id, { forceDelete: null }, { signal: actor.signal });
    else await compute.deleteServer(session, server.id, { signal: actor.signal });
    await compute.waitForServerDeleted(session, server, { timeout: NOVA_WAITS.delete.timeout, pollInterval: NOVA_WAITS.delete.poll, signal: actor.signal });
  });
}

/** nova.delete_servers / nova.force_delete_servers: delete all, then wait for each. */
export function deleteServers(actor: Actor, session: OpenStackSession, servers: ServerRef[], force = false): Promise<void> {
  return actor.atomic(force ? 'nova.force_delete_servers' : 'nova.delete_servers', async () => {
    for (const server of servers) {
      if (force) await compute.serverAction(session, server.id, { forceDelete: null }, { signal: actor.signal });
      else await compute.deleteServer(session, server.id, { signal: actor.signal });
    }
    for (const server of servers) {
      await compute.waitForServerDeleted(session, server, { timeout: NOVA_WAITS.delete.timeout, pollInterval: NOVA_WAITS.delete.poll, signal: actor.signal });
    }
  });
}

/** One state change: an action, an optional pre-poll delay, a wait for the target status. */
function stateChange(atomicName: string, action: Record<string, unknown>, ready: string, wait: NovaWait, prepoll: boolean) {
  return (actor: Actor, session: OpenStackSession, server: ServerRef): Promise<void> =>
    actor.atomic(atomicName, async () => {
      await compute.serverAction(session, server.id, action, { signal: actor.signal });
      await waitStatus(actor, session, server, [ready], wait, prepoll);
    });
}

// Rally uses the pause pre-poll delay for reboot, unpause and shelve (kept as Rally has it)
export const softRebootServer = stateChange('nova.soft_reboot_server', { reboot: { type: 'SOFT' } }, 'ACTIVE', { ...NOVA_WAITS.reboot, prepoll: NOVA_WAITS.pause.prepoll }, true);
export const rebootServer = stateChange('nova.reboot_server', { reboot: { type: 'HARD' } }, 'ACTIVE', { ...NOVA_WAITS.reboot, prepoll: NOVA_WAITS.pause.prepoll }, true);
export const startServer = stateChange('nova.start_server', { 'os-start': null }, 'ACTIVE', NOVA_WAITS.start, false);
export const stopServer = stateChange('nova.stop_server', { 'os-stop': null }, 'SHUTOFF', NOVA_WAITS.stop, false);
export const rescueServer = stateChange('nova.rescue_server', { rescue: null }, 'RESCUE', NOVA_WAITS.rescue, true);
export const unrescueServer = stateChange('nova.unrescue_server', { unrescue: null }, 'ACTIVE', NOVA_WAITS.unrescue, true);
export const suspendServer = stateChange('nova.suspend_server', { suspend: null }, 'SUSPENDED', NOVA_WAITS.suspend, true);
export const resumeServer = stateChange('nova.resume_server', { resume: null }, 'ACTIVE', NOVA_WAITS.resume, true);
export const pauseServer = stateChange('nova.pause_server', { pause: null }, 'PAUSED', NOVA_WAITS.pause, true);
export const unpauseServer = stateChange('nova.unpause_server', { unpause: null }, 'ACTIVE', { ...NOVA_WAITS.unpause, prepoll: NOVA_WAITS.pause.prepoll }, true);
export const shelveServer = stateChange('nova.shelve_server', { shelve: null }, 'SHELVED_OFFLOADED', { ...NOVA_WAITS.shelve, prepoll: NOVA_WAITS.pause.prepoll }, true);
export const unshelveServer = stateChange('nova.unshelve_server', { unshelve: null }, 'ACTIVE', NOVA_WAITS.unshelve, true);

/** nova.rebuild_server to another image. */
export function rebuildServer(actor: Actor, session: OpenStackSession, server: ServerRef, imageId: string): Promise<void> {
  return stateChange('nova.rebuild_server', { rebuild: { imageRef: imageId } }, 'ACTIVE', NOVA_WAITS.rebuild, true)(actor, session, server);
}

/** nova.resize: to VERIFY_RESIZE. */
export function resizeServer(actor: Actor, session: OpenStackSession, server: ServerRef, flavorId: string): Promise<void> {
  return stateChange('nova.resize', { resize: { flavorRef: flavorId } }, 'VERIFY_RESIZE', NOVA_WAITS.resize, false)(actor, session, server);
}

export function confirmResize(actor: Actor, session: OpenStackSession, server: ServerRef, status = 'ACTIVE'): Promise<void> {
  return stateChange('nova.resize_confirm', { confirmResize: null }, status, NOVA_WAITS.resizeConfirm, false)(actor, session, server);
}

export function revertResize(actor: Actor, session: OpenStackSession, server: ServerRef, status = 'ACTIVE'): Promise<void> {
  return stateChange('nova.resize_revert', { revertResize: null }, status, NOVA_WAITS.resizeRevert, false)(actor, session, server);
}

export function lockServer(actor: Actor, session: OpenStackSession, server: ServerRef): Promise<void> {
  return actor.atomic('nova.lock_server', async () => void (await compute.lockServer(session, server.id, { signal: actor.signal })));
}

export function unlockServer(actor: Actor, session: OpenStackSession, server: ServerRef): Promise<void> {
  return actor.atomic('nova.unlock_server', async () => void (await compute.unlockServer(session, server.id, { signal: actor.signal })));
}

export function showServer(actor: Actor, session: OpenStackSession, server: ServerRef): Promise<compute.Server> {
  return actor.atomic('nova.show_server', () => compute.getServer(session, server.id, { signal: actor.signal }));
}

export function listServers(actor: Actor, session: OpenStackSession, detailed = true): Promise<Array<{ id: string; name: string }>> {
  return actor.atomic('nova.list_servers', async () => {
    if (detailed) return compute.listServers(session, { signal: actor.signal });
    return listAll<{ id: string; name: string }>(session, 'compute', '/servers', 'servers', 'links', { signal: actor.signal });
  });
}

/** nova.update_server: a new random name, and the description when given (2.19+). */
export function updateServer(actor: Actor, session: OpenStackSession, server: ServerRef, newName: string, description?: string): Promise<compute.Server> {
  return actor.atomic('nova.update_server', () =>
    compute.updateServer(session, server.id, { name: newName, ...(description ? { description } : {}) }, { signal: actor.signal, ...(description ? { microversion: '2.19' } : {}) }),
  );
}

/** nova.get_console_output_server */
export function getConsoleOutput(actor: Actor, session: OpenStackSession, server: ServerRef, length?: number): Promise<string> {
  return actor.atomic('nova.get_console_output_server', async () => {
    const body = await compute.serverAction<{ output: string }>(session, server.id, { 'os-getConsoleOutput': length === undefined ? {} : { length } }, { signal: actor.signal });
    return body?.output ?? '';
  });
}

/**
 * nova.snapshot_server: createImage named like the server, then (nested) glance_v2.get_image,
 * glance.wait_for_image (ACTIVE) and nova.wait_for_server (task_state back to None).
 */
export function snapshotServer(actor: Actor, session: OpenStackSession, server: ServerRef): Promise<{ id: string; name: string }> {
  return actor.atomic('nova.snapshot_server', async () => {
    const imageId = await compute.createServerImage(session, server.id, server.name, { signal: actor.signal });
    await getImage(actor, session, imageId);
    const timing = { timeout: NOVA_WAITS.imageCreate.timeout, pollInterval: NOVA_WAITS.imageCreate.poll, signal: actor.signal };
    await actor.atomic('glance.wait_for_image', () =>
      waitForStatus({ type: 'Image', id: imageId, name: server.name, get: () => getImage(actor, session, imageId) }, { ...timing, ready: ['ACTIVE'] }),
    );
    await actor.atomic('nova.wait_for_server', () =>
      waitForStatus<compute.Server>(
        {
          type: 'Server',
          id: server.id,
          name: server.name,
          get: (signal) => compute.getServer(session, server.id, signal ? { signal } : {}),
          status: (s) => s['OS-EXT-STS:task_state'] ?? 'None',
        },
        { ...timing, ready: ['None'] },
      ),
    );
    return { id: imageId, name: server.name };
  });
}

/** nova.delete_image: glance_v2.delete_image, then glance.wait_for_delete. */
export function deleteSnapshotImage(actor: Actor, session: OpenStackSession, image: { id: string; name: string }): Promise<void> {
  return actor.atomic('nova.delete_image', async () => {
    await deleteImage(actor, session, image.id);
    await actor.atomic('glance.wait_for_delete', () =>
      waitForDeletion(
        {
          type: 'Image',
          id: image.id,
          name: image.name,
          // Rally's get_image raises GetResourceNotFound on a 404, which the deletion wait takes as gone
          get: async () => {
            try {
              return await getImage(actor, session, image.id);
            } catch (error) {
              if (error instanceof ResourceNotFound) return undefined;
              throw error;
            }
          },
          status: (i) => (i.status === 'pending_delete' ? 'DELETED' : i.status),
        },
        { timeout: NOVA_WAITS.imageDelete.timeout, pollInterval: NOVA_WAITS.imageDelete.poll, signal: actor.signal },
      ),
    );
  });
}
