/**
 * A local node:http server playing a tiny OpenStack, for the error paths a real cloud does not
 * produce on demand (5xx with request ids, bad JSON, hangs, 401 after a token was accepted,
 * odd pagination). Keystone's POST /v3/auth/tokens is built in; every other request goes to
 * the test's handler. Every request is recorded.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudCredential } from '../../../src/cloud/credential.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** an object is sent as JSON */
  body?: unknown;
  /** never answer (for timeouts) */
  hang?: boolean;
  /** destroy the socket without a response */
  reset?: boolean;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeCloud {
  url: string;
  requests: RecordedRequest[];
  /** how many tokens were issued */
  tokensIssued(): number;
  /** next tokens expire this many seconds after issue (default 3600) */
  tokenLifetimeSeconds: number;
  /** answers every request but POST /v3/auth/tokens (tokens are tok-1, tok-2...) */
  handler: FakeHandler;
  /** Keystone refuses every credential with 401 */
  refuseAuth: boolean;
  credential(): CloudCredential;
  close(): Promise<void>;
}

export const PROJECT_ID = 'p0000000000000000000000000000001';

function catalog(base: string): unknown[] {
  const entry = (type: string, url: string) => ({
    type,
    id: type,
    endpoints: [
      { interface: 'public', region_id: 'RegionOne', url },
      { interface: 'internal', region_id: 'RegionOne', url: `${url.replace('127.0.0.1', 'localhost')}` },
    ],
  });
  return [
    entry('identity', `${base}/v3`),
    entry('compute', `${base}/compute/v2.1`),
    entry('image', `${base}/image`),
    entry('network', `${base}/network`),
    entry('volumev3', `${base}/volume/v3/%(project_id)s`),
    entry('placement', `${base}/placement`),
  ];
}

export async function startFakeCloud(handler: FakeHandler = () => ({ status: 404 })): Promise<FakeCloud> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let issued = 0;
  let server: Server | undefined;

  const fake: FakeCloud = {
    url: '',
    requests,
    tokensIssued: () => issued,
    tokenLifetimeSeconds: 3600,
    handler,
    refuseAuth: false,
    credential: () => ({
      authUrl: `${fake.url}/v3`,
      interface: 'public',
      regionName: 'RegionOne',
      tls: { insecure: false },
      apiInfo: {},
      admin: { method: 'password', user: { name: 'admin', domainId: 'default' }, password: 's3cret', scope: { kind: 'project', name: 'admin', domainId: 'default' } },
      users: [],
      origin: 'fake cloud',
    }),
    close: async () => {
      for (const response of hanging) response.destroy();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server?.closeAllConnections();
    },
  };

  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      void (async () => {
        let reply: FakeReply;
        if (recorded.method === 'POST' && recorded.url.startsWith('/v3/auth/tokens') && fake.refuseAuth) {
          reply = {
            status: 401,
            headers: { 'x-openstack-request-id': 'req-refused' },
            body: { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } },
          };
        } else if (recorded.method === 'POST' && recorded.url.startsWith('/v3/auth/tokens')) {
          issued += 1;
          const now = Date.now();
          reply = {
            status: 201,
            headers: { 'X-Subject-Token': `tok-${issued}`, 'x-openstack-request-id': `req-auth-${issued}` },
            body: {
              token: {
                issued_at: new Date(now).toISOString(),
                expires_at: new Date(now + fake.tokenLifetimeSeconds * 1000).toISOString(),
                methods: ['password'],
                user: { id: 'u1', name: 'admin', domain: { id: 'default', name: 'Default' } },
                project: { id: PROJECT_ID, name: 'admin', domain: { id: 'default', name: 'Default' } },
                roles: [{ id: 'r1', name: 'admin' }],
                catalog: catalog(fake.url),
              },
            },
          };
        } else {
          reply = await fake.handler(recorded);
        }
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        if (reply.hang) {
          hanging.add(res);
          return;
        }
        const isText = typeof reply.body === 'string';
        const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, {
          'Content-Type': isText ? 'text/plain' : 'application/json',
          ...reply.headers,
        });
        res.end(payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
