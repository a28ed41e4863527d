import { describe, expect, it } from 'vitest';
import { OpenStackConnectionError, OpenStackHttpError, isTransientFault, retryTransient } from '../../../src/openstack/index.js';

const refused = () => new OpenStackConnectionError('ConnectFailure', 'DELETE', 'http://127.0.0.1:5000/v3/projects/p', 'ECONNREFUSED', 'connection refused');
const http = (status: number) => new OpenStackHttpError({ method: 'DELETE', url: 'http://127.0.0.1:5000/v3/projects/p', status, body: '' });

describe('retryTransient', () => {
  it('knows transient faults: no answer, or 5xx; a 4xx is the request itself', () => {
    expect(isTransientFault(refused())).toBe(true);
    expect(isTransientFault(http(503))).toBe(true);
    expect(isTransientFault(http(500))).toBe(true);
    expect(isTransientFault(http(409))).toBe(false);
    expect(isTransientFault(http(404))).toBe(false);
    expect(isTransientFault(new Error('bug'))).toBe(false);
  });

  it('rides out an outage with doubling waits, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await retryTransient(
      async () => {
        calls++;
        if (calls < 4) throw calls % 2 ? refused() : http(503);
        return 'deleted';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('deleted');
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('gives up after its attempts with the last error, and never retries a refusal', async () => {
    let calls = 0;
    await expect(retryTransient(async () => { calls++; throw refused(); }, { attempts: 3, sleep: async () => undefined })).rejects.toThrow(/connection refused/);
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryTransient(async () => { calls++; throw http(409); }, { sleep: async () => undefined })).rejects.toThrow(/409/);
    expect(calls).toBe(1);
  });
});
