/**
 * The transport on its own, against a local HTTP server that misbehaves on purpose: faults a real
 * cloud cannot be made to produce on demand (a body that stalls or is cut off half-way).
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../../src/openstack/http.js';
import { OpenStackConnectionError } from '../../../src/openstack/errors.js';

let server: Server;
let base: string;
const sockets = new Set<Socket>();
const seenPorts: number[] = [];

beforeAll(async () => {
  server = createServer((req, res: ServerResponse) => {
    seenPorts.push(req.socket.remotePort ?? 0);
    if (req.url === '/stall-body') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"partial": ');
      return; // never ends
    }
    if (req.url === '/cut-body') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"partial": ', () => req.socket.destroy());
      return;
    }
    if (req.url === '/slow') {
      setTimeout(() => res.end('{"slow": true}'), 150);
      return;
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Echo-Length': String(req.headers['content-length'] ?? '') });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HttpTransport', () => {
  it('sends a body with its byte length (not chunked) and reads the answer', async () => {
    const transport = new HttpTransport();
    try {
      const response = await transport.send({ method: 'POST', url: `${base}/echo`, body: '{"name": "é"}', headers: { 'Content-Type': 'application/json' } });
      expect(response.status).toBe(200);
      expect(response.statusText).toBe('OK');
      expect(response.headers.get('x-echo-length')).toBe(String(Buffer.byteLength('{"name": "é"}')));
      expect(JSON.parse(response.text)).toEqual({ method: 'POST', body: '{"name": "é"}' });
      const bytes = await transport.send({ method: 'GET', url: `${base}/echo` }, 'bytes');
      expect(Buffer.from(bytes.bytes!).toString('utf8')).toContain('"GET"');
    } finally {
      await transport.close();
    }
  });

  it('keeps the connection alive between calls', async () => {
    const transport = new HttpTransport();
    try {
      seenPorts.length = 0;
      for (let i = 0; i < 3; i++) await transport.send({ method: 'GET', url: `${base}/echo` });
      expect(new Set(seenPorts).size).toBe(1);
    } finally {
      await transport.close();
    }
  });

  it('times out a body that stalls after the headers, naming the request', async () => {
    const transport = new HttpTransport({ insecure: false }, { timeoutMs: 200 });
    try {
      const error = await transport.send({ method: 'GET', url: `${base}/stall-body` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenStackConnectionError);
      expect((error as OpenStackConnectionError).kind).toBe('ConnectTimeout');
      expect(String((error as Error).message)).toContain(`GET ${base}/stall-body`);
    } finally {
      await transport.close();
    }
  });

  it('reports a connection cut in the middle of the body as ConnectFailure', async () => {
    const transport = new HttpTransport();
    try {
      const error = await transport.send({ method: 'GET', url: `${base}/cut-body` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenStackConnectionError);
      expect((error as OpenStackConnectionError).kind).toBe('ConnectFailure');
    } finally {
      await transport.close();
    }
  });

  it('many concurrent calls under one signal: no leak warning, and aborting it stops them all with its reason', async () => {
    const transport = new HttpTransport();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const calls = Array.from({ length: 20 }, () => transport.send({ method: 'GET', url: `${base}/slow`, signal: controller.signal }).catch((e: unknown) => e));
      await new Promise((resolve) => setTimeout(resolve, 30));
      const reason = new Error('iteration cancelled');
      controller.abort(reason);
      for (const outcome of await Promise.all(calls)) expect(outcome).toBe(reason);
      const done = new AbortController();
      await Promise.all(Array.from({ length: 20 }, () => transport.send({ method: 'GET', url: `${base}/echo`, signal: done.signal })));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await transport.close();
    }
  });

  it('close() lets a call in flight finish, then refuses new ones', async () => {
    const transport = new HttpTransport();
    const inFlight = transport.send({ method: 'GET', url: `${base}/slow` });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = transport.close();
    expect(JSON.parse((await inFlight).text)).toEqual({ slow: true });
    await closed;
    const error = await transport.send({ method: 'GET', url: `${base}/echo` }).catch((e: unknown) => e);
    expect((error as OpenStackConnectionError).kind).toBe('ConnectFailure');
  });
});
