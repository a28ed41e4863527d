/**
 * bench/latency-proxy.mjs, the slowdown behind bench/gate-quality-cloud.mjs: run as its CLI in front of
 * a real HTTP server, it must hold each response back by `delay-ms + fraction x server time`, on every
 * request of a kept-alive connection, and pass the bytes through unchanged and in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const PROXY = resolve(import.meta.dirname, '../../bench/latency-proxy.mjs');
const SERVER_MS = 120;

let server: Server | undefined;
let proxy: ChildProcess | undefined;

afterEach(async () => {
  proxy?.kill('SIGTERM');
  proxy = undefined;
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

/** A server that thinks for SERVER_MS, then streams a body in several chunks. */
async function slowServer(): Promise<number> {
  server = createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 5; i++) res.write(`chunk-${i}-${'x'.repeat(20_000)}\n`);
      res.end(`end of ${req.url}\n`);
    }, SERVER_MS);
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

async function startProxy(upstreamPort: number, args: string[]): Promise<number> {
  proxy = spawn(process.execPath, [PROXY, '--upstream', `127.0.0.1:${upstreamPort}`, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    let out = '';
    proxy!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const port = /127\.0\.0\.1:(\d+) ->/.exec(out)?.[1];
      if (port) done(Number(port));
    });
    proxy!.on('exit', (code) => fail(new Error(`proxy exited ${code}: ${out}`)));
  });
}

/** GET through a kept-alive agent: elapsed ms and the body. */
function timedGet(port: number, path: string, agent: Agent): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => done({ ms: performance.now() - started, body }));
    })
      .on('error', fail)
      .end();
  });
}

function expectedBody(path: string): string {
  let body = '';
  for (let i = 0; i < 5; i++) body += `chunk-${i}-${'x'.repeat(20_000)}\n`;
  return `${body}end of ${path}\n`;
}

describe('latency proxy', () => {
  it('adds a fraction of the server time to every request of a kept-alive connection, bytes intact', async () => {
    const upstream = await slowServer();
    const port = await startProxy(upstream, ['--fraction', '1']);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const path of ['/a', '/b', '/c']) {
        const { ms, body } = await timedGet(port, path, agent);
        expect(body).toBe(expectedBody(path));
        // server 120 ms + 100% of it; tolerant of a loaded machine, but well above one server time
        expect(ms).toBeGreaterThanOrEqual(2 * SERVER_MS - 10);
      }
    } finally {
      agent.destroy();
    }
  });

  it('adds a fixed delay, and nothing when asked for none', async () => {
    const upstream = await slowServer();
    const direct = new Agent({ keepAlive: true, maxSockets: 1 });
    const fixedPort = await startProxy(upstream, ['--delay-ms', '150']);
    try {
      const { ms, body } = await timedGet(fixedPort, '/fixed', direct);
      expect(body).toBe(expectedBody('/fixed'));
      expect(ms).toBeGreaterThanOrEqual(SERVER_MS + 150 - 10);
    } finally {
      direct.destroy();
      proxy?.kill('SIGTERM');
    }
    const plainPort = await startProxy(upstream, []);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { body } = await timedGet(plainPort, '/plain', agent);
      expect(body).toBe(expectedBody('/plain'));
    } finally {
      agent.destroy();
    }
  });
});
