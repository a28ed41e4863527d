#!/usr/bin/env node
// A TCP proxy on 127.0.0.1 that makes an HTTP API slower on purpose, to measure the gate's detection.
//
//   node bench/latency-proxy.mjs --upstream 127.0.0.1:5000 [--listen 0] [--fraction 0.25] [--delay-ms 0]
//
// Per request (HTTP/1.1 request/response turns on a kept-alive connection), the first byte of the
// response is held back by `delay-ms + fraction × upstream time`, where the upstream time is what the
// server took from the request's first byte to its response's first byte; the rest of the response
// follows in order. A fraction makes a slowdown proportional to the server's own time (what a slower
// password hash or a slower database would do); a fixed delay is a slower network. The proxy never
// parses HTTP: a "request" starts when the client sends after a response began (no pipelining, which
// no OpenStack client does). It keeps per-request timings so the harness can report the slowdown the
// proxy really added.
import { createConnection, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ upstreamMs: number, addedMs: number }} ProxiedRequest
 * @typedef {{ fraction?: number, delayMs?: number }} Slowdown
 */

/**
 * Starts the proxy; resolves once it listens.
 * @param {{ upstreamHost: string, upstreamPort: number, listenPort?: number } & Slowdown} options
 */
export async function startLatencyProxy(options) {
  let slowdown = { fraction: options.fraction ?? 0, delayMs: options.delayMs ?? 0 };
  /** @type {ProxiedRequest[]} */
  let requests = [];
  const sockets = new Set();

  const server = createServer((client) => {
    const upstream = createConnection({ host: options.upstreamHost, port: options.upstreamPort });
    sockets.add(client).add(upstream);
    let phase = 'idle'; // idle -> request (client sent) -> response (server answered) -> request ...
    let requestStart = 0;
    let responseDelayMs = 0;
    /** chunks of the response waiting for their release time, in order */
    const pending = [];
    let drainTimer;
    let upstreamEnded = false;

    const drain = () => {
      drainTimer = undefined;
      const now = performance.now();
      while (pending.length > 0 && pending[0].releaseAt <= now + 0.5) client.write(pending.shift().chunk);
      if (pending.length > 0) drainTimer = setTimeout(drain, pending[0].releaseAt - now);
      else if (upstreamEnded) client.end();
    };

    client.on('data', (chunk) => {
      if (phase !== 'request') {
        phase = 'request';
        requestStart = performance.now();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      const now = performance.now();
      if (phase === 'request') {
        phase = 'response';
        const upstreamMs = now - requestStart;
        responseDelayMs = slowdown.delayMs + slowdown.fraction * upstreamMs;
        requests.push({ upstreamMs, addedMs: responseDelayMs });
      }
      // Later chunks of the same response keep their own arrival spacing, shifted by the same delay.
      pending.push({ chunk, releaseAt: now + responseDelayMs });
      if (drainTimer === undefined) drain();
    });
    upstream.on('end', () => {
      upstreamEnded = true;
      if (drainTimer === undefined) drain();
    });
    client.on('end', () => upstream.end());
    const close = () => {
      clearTimeout(drainTimer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', () => {
      // a closed upstream still lets the held-back response go out first
      if (pending.length === 0) close();
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    /** @param {Slowdown} next */
    setSlowdown(next) {
      slowdown = { fraction: next.fraction ?? 0, delayMs: next.delayMs ?? 0 };
    },
    /** the requests proxied since the last call (and forgets them) */
    takeRequests() {
      const taken = requests;
      requests = [];
      return taken;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

function argValue(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const upstream = argValue(args, '--upstream');
  if (!upstream || !/^[\w.-]+:\d+$/.test(upstream)) {
    console.error('usage: node bench/latency-proxy.mjs --upstream HOST:PORT [--listen PORT] [--fraction F] [--delay-ms MS]');
    process.exit(2);
  }
  const [upstreamHost, upstreamPort] = upstream.split(':');
  const proxy = await startLatencyProxy({
    upstreamHost,
    upstreamPort: Number(upstreamPort),
    listenPort: Number(argValue(args, '--listen') ?? 0),
    fraction: Number(argValue(args, '--fraction') ?? 0),
    delayMs: Number(argValue(args, '--delay-ms') ?? 0),
  });
  console.log(`latency proxy: 127.0.0.1:${proxy.port} -> ${upstream}`);
  const stop = () => proxy.close().then(() => process.exit(0));
  process.on('SIGINT', stop).on('SIGTERM', stop);
}
