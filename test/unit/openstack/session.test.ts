/**
 * Session error paths against a local fake: what a real cloud cannot be made to do on demand.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationFailed,
  HttpTransport,
  OpenStackCloud,
  OpenStackConnectionError,
  OpenStackHttpError,
  OpenStackInvalidResponse,
  OpenStackSession,
  compute,
  identity,
} from '../../../src/openstack/index.js';
import { PROJECT_ID, startFakeCloud } from './fake-cloud.js';
import type { FakeCloud } from './fake-cloud.js';

let fake: FakeCloud | undefined;
let cloud: OpenStackCloud | undefined;

afterEach(async () => {
  await cloud?.close();
  await fake?.close();
  cloud = undefined;
  fake = undefined;
});

async function setUp(handler: Parameters<typeof startFakeCloud>[0], timeoutMs?: number): Promise<{ fake: FakeCloud; session: OpenStackSession }> {
  fake = await startFakeCloud(handler);
  cloud = new OpenStackCloud(fake.credential(), timeoutMs !== undefined ? { transport: { timeoutMs } } : {});
  return { fake, session: cloud.admin() };
}

describe('OpenStackSession', () => {
  it('sends the token, JSON and microversion headers to the catalog endpoint', async () => {
    const { fake, session } = await setUp(() => ({ body: { server: { id: 's1', name: 'x', status: 'ACTIVE' } } }));
    const server = await compute.getServer(session, 's1', { microversion: '2.79' });
    expect(server.id).toBe('s1');
    const request = fake.requests.at(-1)!;
    expect(request.url).toBe('/compute/v2.1/servers/s1');
    expect(request.headers['x-auth-token']).toBe('tok-1');
    expect(request.headers['openstack-api-version']).toBe('compute 2.79');
    expect(request.headers['x-openstack-nova-api-version']).toBe('2.79');
    expect(request.headers['accept']).toBe('application/json');
    const auth = JSON.parse(fake.requests[0]!.body);
    expect(auth.auth.identity.password.user).toEqual({ name: 'admin', domain: { id: 'default' }, password: 's3cret' });
    expect(auth.auth.scope).toEqual({ project: { name: 'admin', domain: { id: 'default' } } });
  });

  it('uses the session default microversion, and cinder says "volume"', async () => {
    fake = await startFakeCloud(() => ({ body: { volume: { id: 'v1' } } }));
    cloud = new OpenStackCloud(fake.credential(), { microversions: { 'block-storage': '3.59' } });
    await cloud.admin().get('block-storage', '/volumes/v1');
    const request = fake.requests.at(-1)!;
    expect(request.url).toBe(`/volume/v3/${PROJECT_ID}/volumes/v1`);
    expect(request.headers['openstack-api-version']).toBe('volume 3.59');
  });

  it('reports a 5xx with method, URL, status, request id and the service message', async () => {
    const { session } = await setUp(() => ({
      status: 503,
      headers: { 'x-compute-request-id': 'req-11111111-2222-3333-4444-555555555555' },
      body: { computeFault: { code: 503, message: 'Nova is sleeping' } },
    }));
    const error = await compute.getServer(session, 'abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackHttpError);
    const http = error as OpenStackHttpError;
    expect(http.name).toBe('ServiceUnavailable');
    expect(http.status).toBe(503);
    expect(http.requestId).toBe('req-11111111-2222-3333-4444-555555555555');
    expect(http.message).toBe(
      `GET ${fake!.url}/compute/v2.1/servers/abc -> 503 Service Unavailable (request id req-11111111-2222-3333-4444-555555555555): Nova is sleeping`,
    );
    expect(http.message).not.toContain('tok-1');
  });

  it('cuts a long HTML error page to a short excerpt', async () => {
    const page = `<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1>${'the server broke '.repeat(50)}</body></html>`;
    const { session } = await setUp(() => ({ status: 500, body: page }));
    const error = (await session.get('image', '/images').catch((e: unknown) => e)) as OpenStackHttpError;
    expect(error.name).toBe('InternalServerError');
    expect(error.serviceMessage.startsWith('the server broke the server broke')).toBe(true);
    expect(error.serviceMessage.length).toBeLessThanOrEqual(303);
  });

  it('rejects malformed JSON in a 200 as InvalidResponse with the request', async () => {
    const { session } = await setUp(() => ({ status: 200, headers: { 'x-openstack-request-id': 'req-bad' }, body: '{"servers": [' }));
    const error = await compute.listServers(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackInvalidResponse);
    expect((error as Error).name).toBe('InvalidResponse');
    expect((error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/compute\/v2\.1\/servers\/detail -> 200 \(request id req-bad\): response is not JSON/);
  });

  it('rejects a response without the expected key', async () => {
    const { session } = await setUp(() => ({ body: { something_else: {} } }));
    await expect(compute.getServer(session, 's1')).rejects.toThrow(/no "server" in the response body/);
  });

  it('times out a request that gets no answer, naming it', async () => {
    const { session } = await setUp(() => ({ hang: true }), 300);
    const started = performance.now();
    const error = await compute.getServer(session, 'slow').catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(OpenStackConnectionError);
    expect((error as Error).name).toBe('ConnectTimeout');
    expect((error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/compute\/v2\.1\/servers\/slow failed: no complete response within 0\.3 s$/);
  });

  it('a per-call timeout overrides the session default', async () => {
    const { session } = await setUp(() => ({ hang: true }));
    const error = await session.get('compute', '/servers', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('ConnectTimeout');
  });

  it('reports a connection reset as ConnectFailure naming the request', async () => {
    const { session } = await setUp(() => ({ reset: true }));
    const error = await session.get('network', '/networks').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackConnectionError);
    expect((error as Error).name).toBe('ConnectFailure');
    expect((error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/network\/v2\.0\/networks failed: /);
  });

  it('reports a refused connection (nothing listening) as ConnectFailure, also at authentication', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const transport = new HttpTransport();
    const session = new OpenStackSession({
      transport,
      settings: { authUrl: `http://127.0.0.1:${port}/v3`, interface: 'public', tls: { insecure: false }, apiInfo: {} },
      auth: { method: 'token', token: 'secret-token-value' },
    });
    const error = await session.token().catch((e: unknown) => e);
    await transport.close();
    expect(error).toBeInstanceOf(OpenStackConnectionError);
    expect((error as OpenStackConnectionError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toContain(`POST http://127.0.0.1:${port}/v3/auth/tokens failed: `);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).not.toContain('secret-token-value');
  });

  it('re-authenticates once after a 401 and retries the request', async () => {
    let calls = 0;
    const { fake, session } = await setUp((request) => {
      calls += 1;
      if (request.headers['x-auth-token'] === 'tok-1') return { status: 401, body: { error: { code: 401, message: 'The request you have made requires authentication.' } } };
      return { body: { flavors: [{ id: 'f1', name: 'm1.nano' }] } };
    });
    const flavors = await compute.listFlavors(session);
    expect(flavors.map((f) => f.name)).toEqual(['m1.nano']);
    expect(fake.tokensIssued()).toBe(2);
    expect(calls).toBe(2);
    expect(session.tokenInfo?.token).toBe('tok-2');
  });

  it('gives up after the second 401 with Unauthorized', async () => {
    const { fake, session } = await setUp(() => ({ status: 401, body: { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } } }));
    const error = await session.get('compute', '/servers').catch((e: unknown) => e);
    expect((error as Error).name).toBe('Unauthorized');
    expect((error as Error).message).toMatch(/-> 401 Unauthorized: The request you have made requires authentication\.$/);
    expect(fake.tokensIssued()).toBe(2);
  });

  it('concurrent first calls share one authentication', async () => {
    const { fake, session } = await setUp(() => ({ body: { servers: [] } }));
    await Promise.all(Array.from({ length: 20 }, () => compute.listServers(session)));
    expect(fake.tokensIssued()).toBe(1);
  });

  it('renews a token that expires within the margin before using it', async () => {
    const { fake, session } = await setUp(() => ({ body: { servers: [] } }));
    fake.tokenLifetimeSeconds = 8; // renew margin is min(120 s, lifetime / 4) = 2 s: still fresh
    await session.get('compute', '/servers');
    await session.get('compute', '/servers');
    expect(fake.tokensIssued()).toBe(1);
    fake.tokenLifetimeSeconds = 1; // margin 0.25 s: stale after 0.75 s, whatever the machine's load
    await session.authenticate();
    await new Promise((resolve) => setTimeout(resolve, 900));
    await session.get('compute', '/servers');
    expect(fake.tokensIssued()).toBe(3);
  });

  it('turns a refused credential into AuthenticationFailed naming the user and request id, without the password', async () => {
    const { fake, session } = await setUp(() => ({ body: {} }));
    fake.refuseAuth = true;
    const error = await session.get('compute', '/servers').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailed);
    expect((error as Error).message).toBe(
      `Failed to authenticate to ${fake.url}/v3 for user admin (domain default), project admin (domain default): ` +
        'Unauthorized: The request you have made requires authentication. (request id req-refused)',
    );
    expect((error as Error).message).not.toContain('s3cret');
    expect(((error as Error).cause as OpenStackHttpError).status).toBe(401);
  });

  it('discovers the v3 URL of an unversioned auth URL', async () => {
    const { fake } = await setUp((request) =>
      request.url === '/'
        ? { status: 300, body: { versions: { values: [{ id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: `${fake!.url}/v3/` }] }] } } }
        : { body: { servers: [] } },
    );
    const session = new OpenStackSession({ transport: cloud!.transport, settings: { ...fake.credential(), authUrl: fake.url }, auth: fake.credential().admin! });
    expect(await session.identityUrl()).toBe(`${fake.url}/v3`);
    await session.get('compute', '/servers');
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /', 'POST /v3/auth/tokens', 'GET /compute/v2.1/servers']);
  });

  it('an aborted signal stops the call with the abort reason', async () => {
    const { session } = await setUp(() => ({ hang: true }));
    const controller = new AbortController();
    const pending = session.get('compute', '/servers', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('iteration cancelled')), 50);
    await expect(pending).rejects.toThrow('iteration cancelled');
  });
});
