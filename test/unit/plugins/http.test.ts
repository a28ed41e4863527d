import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../../src/plugins/index.js';
import { findPlugin } from '../../../src/plugins/registry.js';
import type { ScenarioPlugin } from '../../../src/engine/scenario.js';
import { run } from '../engine/helpers.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: string;
}
const seen: Seen[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, socket: `${req.socket.remotePort}` });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/ok' }).end();
      } else if (req.url?.startsWith('/status/')) {
        res.writeHead(Number(req.url.slice(8))).end('status');
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end('late'), 300);
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HttpRequests.check_request', () => {
  it('passes when the status matches, as atomic action requests.check_request, reusing connections', async () => {
    seen.length = 0;
    const { records } = await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `${base}/ok`, method: 'get', status_code: 200 },
      runner: { serial: { times: 6 } },
    });
    expect(records.map((r) => r.error)).toEqual([[], [], [], [], [], []]);
    expect(records[0]!.atomic_actions.map((a) => a.name)).toEqual(['requests.check_request']);
    expect(seen.map((s) => s.method)).toEqual(Array(6).fill('GET'));
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThanOrEqual(2); // keep-alive (undici may open a 2nd)
    expect(findPlugin<ScenarioPlugin>('scenario', 'HttpRequests.check_request')!.description).toBe(
      'Standard way for testing web services using HTTP requests.',
    );
  });

  it('fails with Rally\'s ValueError message on another status', async () => {
    const record = (
      await run({ scenario: 'HttpRequests.check_request', args: { url: `${base}/status/503`, method: 'GET', status_code: 200 }, runner: { serial: {} } })
    ).records[0]!;
    expect(record.error.slice(0, 2)).toEqual(['ValueError', 'Expected HTTP request code is `200` actual `503`']);
    expect(record.atomic_actions[0]!.failed).toBe(true);
  });

  it('passes requests kwargs: params, headers, cookies, auth, json, data', async () => {
    seen.length = 0;
    await run({
      scenario: 'HttpRequests.check_request',
      args: {
        url: `${base}/ok?x=1`,
        method: 'POST',
        status_code: 200,
        params: { a: 'b c', multi: ['1', '2'] },
        headers: { 'X-Test': 'yes' },
        cookies: { session: 'abc' },
        auth: ['user', 'pass'],
        json: { hello: 'world' },
      },
      runner: { serial: {} },
    });
    const request = seen[0]!;
    expect(request.url).toBe('/ok?x=1&a=b+c&multi=1&multi=2');
    expect(request.headers['x-test']).toBe('yes');
    expect(request.headers.cookie).toBe('session=abc');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('user:pass').toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ hello: 'world' });

    seen.length = 0;
    await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `${base}/ok`, method: 'PUT', status_code: 200, data: { field: 'v' } },
      runner: { serial: {} },
    });
    expect(seen[0]!.body).toBe('field=v');
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('follows redirects unless allow_redirects is false', async () => {
    const follow = await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `${base}/redirect`, method: 'GET', status_code: 200 },
      runner: { serial: {} },
    });
    expect(follow.records[0]!.error).toEqual([]);
    const manual = await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `${base}/redirect`, method: 'GET', status_code: 302, allow_redirects: false },
      runner: { serial: {} },
    });
    expect(manual.records[0]!.error).toEqual([]);
  });

  it('honours timeout and reports connection failures', async () => {
    const slow = await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `${base}/slow`, method: 'GET', status_code: 200, timeout: 0.05 },
      runner: { serial: {} },
    });
    expect(slow.records[0]!.error[0]).toBe('ReadTimeout');
    expect(slow.records[0]!.duration).toBeLessThan(0.25);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `http://127.0.0.1:${closedPort}/`, method: 'GET', status_code: 200 },
      runner: { serial: {} },
    });
    expect(refused.records[0]!.error[0]).toBe('ConnectionError');
    expect(refused.records[0]!.error[1]).toMatch(/ECONNREFUSED/);
  });

  it('is interrupted by the runner timeout', async () => {
    const { records } = await run({
      scenario: 'HttpRequests.check_request',
      args: { url: `${base}/slow`, method: 'GET', status_code: 200 },
      runner: { constant: { times: 1, timeout: 0.05 } },
    });
    expect(records[0]!.error[0]).toBe('ThreadTimeoutException');
    expect(records[0]!.duration).toBeCloseTo(0.05, 9);
  });

  it('rejects verify=false at validation (fetch cannot skip TLS checks per request)', () => {
    const plugin = findPlugin<ScenarioPlugin>('scenario', 'HttpRequests.check_request')!;
    expect(plugin.validateConfig!({ url: 'https://x', method: 'GET', status_code: 200, verify: false })[0]!.path).toEqual(['verify']);
    expect(plugin.validateConfig!({ url: 'https://x', method: 'GET', status_code: 200, verify: true })).toEqual([]);
  });
});

describe('HttpRequests.check_random_request', () => {
  it('picks requests at random; a request\'s own status_code wins over the common one', async () => {
    seen.length = 0;
    const { records } = await run(
      {
        scenario: 'HttpRequests.check_random_request',
        args: {
          requests: [
            { url: `${base}/ok`, method: 'GET' },
            { url: `${base}/status/404`, method: 'GET', status_code: 404 },
          ],
          status_code: 200,
        },
        runner: { serial: { times: 30 } },
      },
      { randomSeed: 5 },
    );
    expect(records.every((r) => r.error.length === 0)).toBe(true);
    const urls = new Set(seen.map((s) => s.url));
    expect(urls).toEqual(new Set(['/ok', '/status/404']));
  });

  it('validates each request\'s kwargs', () => {
    const plugin = findPlugin<ScenarioPlugin>('scenario', 'HttpRequests.check_random_request')!;
    const problems = plugin.validateConfig!({ requests: [{ url: 'a', method: 'GET' }, { url: 'b', method: 'GET', verify: 'ca.pem' }], status_code: 200 });
    expect(problems.map((p) => p.path)).toEqual([['requests', 1, 'verify']]);
  });
});
