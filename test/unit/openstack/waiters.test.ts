/**
 * Waiters with Rally's semantics, driven by scripted getters (no HTTP): ready, error status
 * with the fault, timeout message, vanishing resources, deletion, cancellation.
 */
import { describe, expect, it } from 'vitest';
import { OpenStackHttpError, ResourceErrorStatus, ResourceNotFound, ResourceTimeout, waitForDeletion, waitForStatus } from '../../../src/openstack/index.js';
import type { WaitTarget } from '../../../src/openstack/index.js';

interface Thing {
  status: string;
  fault?: { message: string };
}

const notFound = () => new OpenStackHttpError({ method: 'GET', url: 'http://x/servers/1', status: 404, body: '{"itemNotFound": {"message": "gone"}}' });

/** Answers with the scripted statuses in order (the last one repeats); "404" throws a 404. */
function scripted(statuses: string[], extra: Partial<WaitTarget<Thing>> = {}): WaitTarget<Thing> & { calls: () => number } {
  let index = 0;
  return {
    type: 'Server',
    id: 'id-1',
    name: 'rally_abc',
    calls: () => index,
    get: async () => {
      const status = statuses[Math.min(index, statuses.length - 1)] as string;
      index += 1;
      if (status === '404') throw notFound();
      if (status === 'undefined') return undefined;
      return { status, fault: { message: 'No valid host was found.' } };
    },
    fault: (thing) => thing.fault?.message,
    ...extra,
  };
}

const quick = { pollInterval: 0.001, timeout: 5 };

describe('waitForStatus', () => {
  it('returns the resource once it has a ready status (case-insensitive)', async () => {
    const target = scripted(['BUILD', 'BUILD', 'active']);
    expect((await waitForStatus(target, { ...quick, ready: ['ACTIVE'] })).status).toBe('active');
    expect(target.calls()).toBe(3);
  });

  it('fails on ERROR with the fault message, as GetResourceErrorStatus', async () => {
    const error = await waitForStatus(scripted(['BUILD', 'ERROR']), { ...quick, ready: ['ACTIVE'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceErrorStatus);
    expect((error as Error).name).toBe('GetResourceErrorStatus');
    expect((error as Error).message).toBe('Resource <Server: rally_abc> has ERROR status.\n Fault: No valid host was found.');
  });

  it('says n/a when there is no fault', async () => {
    const target = scripted(['error'], { fault: () => undefined });
    await expect(waitForStatus(target, { ...quick, ready: ['available'] })).rejects.toThrow('Resource <Server: rally_abc> has ERROR status.\n Fault: n/a');
  });

  it("times out with Rally's TimeoutException message", async () => {
    const error = await waitForStatus(scripted(['BUILD']), { ready: ['ACTIVE'], pollInterval: 0.01, timeout: 0.05 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceTimeout);
    expect((error as Error).name).toBe('TimeoutException');
    expect((error as Error).message).toBe("Rally tired waiting 0.05 seconds for Server rally_abc:id-1 to become ('ACTIVE') current status BUILD");
  });

  it('a resource that vanishes is GetResourceNotFound; DELETED counts as vanished', async () => {
    await expect(waitForStatus(scripted(['BUILD', '404']), { ...quick, ready: ['ACTIVE'] })).rejects.toThrow(ResourceNotFound);
    const error = await waitForStatus(scripted(['DELETED']), { ...quick, ready: ['ACTIVE'] }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('GetResourceNotFound');
    expect((error as Error).message).toBe('Resource <Server: rally_abc> is not found.');
  });

  it('other errors of the getter pass through', async () => {
    const target = scripted(['BUILD'], {
      get: async () => {
        throw new OpenStackHttpError({ method: 'GET', url: 'http://x', status: 500, body: '' });
      },
    });
    await expect(waitForStatus(target, { ...quick, ready: ['ACTIVE'] })).rejects.toThrow(/-> 500/);
  });

  it('refuses conflicting ready and failure statuses', async () => {
    await expect(waitForStatus(scripted(['x']), { ...quick, ready: ['error'], failure: ['ERROR'] })).rejects.toThrow(/conflict/);
  });

  it('waits the pre-poll delay before the first poll', async () => {
    const target = scripted(['ACTIVE']);
    const started = performance.now();
    await waitForStatus(target, { ...quick, ready: ['ACTIVE'], prepollDelay: 0.05 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = waitForStatus(scripted(['BUILD']), { ready: ['ACTIVE'], pollInterval: 0.02, timeout: 60, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('cancelled by the runner')), 30);
    await expect(pending).rejects.toThrow('cancelled by the runner');
  });
});

describe('waitForDeletion', () => {
  it('returns on 404, on undefined and on a deleted status', async () => {
    await waitForDeletion(scripted(['ACTIVE', 'deleting', '404']), quick);
    await waitForDeletion(scripted(['undefined']), quick);
    await waitForDeletion(scripted(['available', 'DELETED']), quick);
  });

  it('fails on a failure status, and times out waiting for DELETED', async () => {
    await expect(waitForDeletion(scripted(['deleting', 'error_deleting'], { fault: () => undefined }), { ...quick, failure: ['error_deleting'] })).rejects.toThrow(
      'Resource <Server: rally_abc> has ERROR_DELETING status.\n Fault: n/a',
    );
    await expect(waitForDeletion(scripted(['deleting']), { pollInterval: 0.01, timeout: 0.03 })).rejects.toThrow(
      "Rally tired waiting 0.03 seconds for Server rally_abc:id-1 to become ('DELETED') current status DELETING",
    );
  });
});
