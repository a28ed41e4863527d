/**
 * Waiting for an asynchronous status, with Rally's semantics (rally/task/utils.py
 * wait_for_status + get_from_manager): optional pre-poll delay, then get -> check -> sleep
 * until the status is ready, a failure status (GetResourceErrorStatus with the resource's fault),
 * the resource is gone (GetResourceNotFound, or success when waiting for deletion), or the
 * timeout passed (TimeoutException, checked after each sleep as Rally does). Statuses compare
 * case-insensitively; "DELETED"/"DELETE_COMPLETE" count as gone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenStackHttpError, ResourceErrorStatus, ResourceNotFound, ResourceTimeout } from './errors.js';

export interface WaitTiming {
  /** seconds before the first poll (Rally's *_prepoll_delay) */
  prepollDelay?: number;
  /** seconds (Rally's *_timeout) */
  timeout: number;
  /** seconds between polls (Rally's *_poll_interval) */
  pollInterval: number;
  signal?: AbortSignal;
}

export interface WaitTarget<T> {
  /** for messages: "Server", "Volume", "Image" (Rally prints the client's class name) */
  type: string;
  id: string;
  name?: string;
  /** fetches the resource; undefined or a 404 OpenStackHttpError mean it is gone */
  get(signal?: AbortSignal): Promise<T | undefined>;
  /** its status (default: the `status` field) */
  status?(resource: T): string | undefined;
  /** what went wrong for a resource in a failure status (Nova's fault.message); "n/a" when none */
  fault?(resource: T): string | undefined;
}

export interface StatusWait extends WaitTiming {
  ready: string[];
  /** default ["ERROR"] */
  failure?: string[];
}

const GONE_STATUSES = new Set(['DELETED', 'DELETE_COMPLETE']);

function statusOf<T>(target: WaitTarget<T>, resource: T): string {
  const raw = target.status ? target.status(resource) : (resource as { status?: unknown }).status;
  return typeof raw === 'string' ? raw.toUpperCase() : 'NONE';
}

/** "<Server: rally_abc>" like novaclient's repr, which Rally's messages print. */
function describeResource<T>(target: WaitTarget<T>): string {
  return `<${target.type}: ${target.name ?? target.id}>`;
}

async function fetchOrGone<T>(target: WaitTarget<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  try {
    return await target.get(signal);
  } catch (error) {
    if (error instanceof OpenStackHttpError && error.status === 404) return undefined;
    throw error;
  }
}

/** Sleeps; a cancelled wait rejects with the signal's own reason (as fetch does), not a generic AbortError. */
async function pause(seconds: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (seconds <= 0) return;
  try {
    await sleep(seconds * 1000, undefined, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

async function poll<T>(target: WaitTarget<T>, wait: StatusWait, checkDeletion: boolean): Promise<T | undefined> {
  const ready = new Set(wait.ready.map((s) => s.toUpperCase()));
  const failure = new Set((wait.failure ?? ['ERROR']).map((s) => s.toUpperCase()));
  for (const status of ready) {
    if (failure.has(status)) throw new Error(`Can't wait for ${describeResource(target)}: ready and failure statuses conflict (${status})`);
  }
  if (ready.size === 0) throw new Error(`Can't wait for ${describeResource(target)}: no ready statuses`);

  await pause(wait.prepollDelay ?? 0, wait.signal);
  const start = performance.now();
  let lastStatus = 'NONE';
  for (;;) {
    const resource = await fetchOrGone(target, wait.signal);
    const status = resource === undefined ? 'DELETED' : statusOf(target, resource);
    lastStatus = status;
    if (resource === undefined || GONE_STATUSES.has(status)) {
      if (checkDeletion) return undefined;
      throw new ResourceNotFound(describeResource(target));
    }
    if (failure.has(status)) throw new ResourceErrorStatus(describeResource(target), status, target.fault?.(resource) ?? 'n/a');
    if (ready.has(status)) return resource;
    await pause(wait.pollInterval, wait.signal);
    if ((performance.now() - start) / 1000 > wait.timeout) {
      throw new ResourceTimeout(target.type, target.name ?? '', target.id, [...ready], lastStatus, wait.timeout);
    }
  }
}

/** Waits until the resource has one of `ready` statuses and returns it as last seen. */
export async function waitForStatus<T>(target: WaitTarget<T>, wait: StatusWait): Promise<T> {
  return (await poll(target, wait, false)) as T;
}

/**
 * Waits until the resource is gone (404 or a deleted status). Like Rally's deletion waits, any
 * status other than the failure ones just means "not yet".
 */
export async function waitForDeletion<T>(target: WaitTarget<T>, wait: WaitTiming & { failure?: string[] }): Promise<void> {
  // Rally waits for ready status "deleted", which get_from_manager turns into "gone"
  await poll(target, { ...wait, ready: ['DELETED'], failure: wait.failure ?? ['ERROR'] }, true);
}
