/**
 * Plain HTTP for the OpenStack client: Node's http/https over one keep-alive agent pair per TLS
 * setting (connection pools per origin, custom CA, insecure, client certificate), a timeout per
 * request, and network faults turned into OpenStackConnectionError naming the request.
 * Status codes are not judged here (the session does that).
 *
 * node:http rather than undici/fetch: measured against the dev cloud's Keystone, a call costs
 * 0.7-0.9 ms of CPU through node:http and 1.4-2.4 ms through undici's request() (bench os1 makes
 * 1,000 of them; the target is the runner's CPU), and its latency is lower too.
 */
import { readFileSync } from 'node:fs';
import type { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { InputError } from '../common/errors.js';
import type { TlsSettings } from '../cloud/credential.js';
import { OpenStackConnectionError } from './errors.js';
import type { ConnectionFaultKind } from './errors.js';

/** Rally's [openstack] openstack_client_http_timeout default: 180 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 180_000;

export type ResponseType = 'json' | 'text' | 'bytes';

type HttpModules = { http: typeof import('node:http'); https: typeof import('node:https') };
let httpModules: Promise<HttpModules> | undefined;
/** node:http and node:https load on the first request: tasks that never call a cloud start faster. */
const loadHttp = (): Promise<HttpModules> =>
  (httpModules ??= Promise.all([import('node:http'), import('node:https')]).then(([http, https]) => ({ http, https })));

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** whole request (connect, send, headers and body); default: the transport's */
  timeoutMs?: number;
  /** aborts the request (an iteration cancelled by the runner); the abort reason is rethrown as is */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  /** the body as text (for 'json' and 'text') */
  text: string;
  /** the body as bytes (only for responseType 'bytes') */
  bytes?: Uint8Array;
}

export interface TransportOptions {
  /** default per-request timeout; DEFAULT_REQUEST_TIMEOUT_MS when absent */
  timeoutMs?: number;
  /** idle keep-alive sockets are closed after this (default 4 s) */
  keepAliveTimeoutMs?: number;
  /** max sockets per origin; unlimited by default, like one connection per concurrent iteration */
  connectionsPerOrigin?: number;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** System and Node error codes that mean the TLS handshake or certificate check failed. */
function isTlsCode(code: string): boolean {
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|EPROTO/.test(code);
}

/** The innermost error with a `code` (Node's errors carry it; wrapped ones in their cause). */
function rootCause(error: unknown): { code: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const record = current as { code?: unknown; cause?: unknown; message?: unknown; errors?: unknown };
    if (typeof record.code === 'string') return { code: record.code, message: String(record.message ?? record.code) };
    // AggregateError (e.g. both 127.0.0.1 and ::1 refused): the first of them tells
    if (Array.isArray(record.errors) && record.errors.length > 0) current = record.errors[0];
    else current = record.cause;
  }
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}

function classify(code: string): ConnectionFaultKind {
  if (code === 'timeout' || code === 'ETIMEDOUT') return 'ConnectTimeout';
  if (isTlsCode(code)) return 'SSLError';
  // a connection dropped before the response ended, or a transport already closed
  if (/^E[A-Z]+$/.test(code) || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_TRANSPORT_CLOSED') return 'ConnectFailure';
  return 'UnknownConnectionError';
}

/**
 * A response's headers, read like fetch's Headers (get, case-insensitive). A view of Node's own
 * object (lower-case names) rather than a copy: building a WHATWG Headers cost more per call than
 * anything else the client itself does.
 */
export class ResponseHeaders {
  constructor(private readonly raw: IncomingHttpHeaders = {}) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** The request id OpenStack services return (compute's older header name too), for error reports. */
export function requestIdOf(headers: ResponseHeaders): string | undefined {
  return headers.get('x-openstack-request-id') ?? headers.get('x-compute-request-id') ?? undefined;
}

/** The controllers of the calls in flight under each caller's signal (an iteration's, a run's). */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * Aborts `controller` when `signal` aborts; returns the undo. One listener per caller signal,
 * whatever the number of calls under it (a listener per call would trip Node's leak warning at 11
 * concurrent calls, e.g. a context's 20 parallel requests).
 */
function followAbort(signal: AbortSignal, controller: AbortController): () => void {
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => {};
  }
  const calls = followers.get(signal) ?? startFollowing(signal);
  calls.add(controller);
  return () => calls.delete(controller);
}

/** The group of calls under `signal`, and its one abort listener. */
function startFollowing(signal: AbortSignal): Set<AbortController> {
  const calls = new Set<AbortController>();
  signal.addEventListener('abort', () => calls.forEach((call) => call.abort(signal.reason)), { once: true });
  followers.set(signal, calls);
  return calls;
}

/**
 * The whole body. Rejects when the connection drops or the call's signal aborts before the end.
 * Plain listeners rather than `for await`: the async iterator cost 0.1-0.3 ms more CPU per call.
 */
function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    response.once('error', reject);
    response.once('close', () => {
      if (!ended) reject(Object.assign(new Error('the connection closed before the response ended'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    });
  });
}

/** A connection pool per scheme, built on the first request. */
interface Pools {
  modules: HttpModules;
  http: HttpAgent;
  https: HttpsAgent;
}

/**
 * One connection pool set for one TLS setting. Share it between the sessions of a cloud
 * (admin and users); close it when the run ends.
 */
export class HttpTransport {
  private readonly tls: Record<string, unknown> = {};
  private readonly keepAliveTimeoutMs: number;
  private readonly maxSockets: number | undefined;
  private pools: Promise<Pools> | undefined;
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  readonly defaultTimeoutMs: number;

  constructor(tls: TlsSettings = { insecure: false }, options: TransportOptions = {}) {
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 4_000;
    this.maxSockets = options.connectionsPerOrigin;
    if (tls.cacert) this.tls.ca = readPem(tls.cacert, 'CA certificate (cacert)');
    if (tls.insecure) this.tls.rejectUnauthorized = false;
    if (tls.cert) this.tls.cert = readPem(tls.cert, 'client certificate (cert)');
    // a client key may live in the cert file itself, as requests allows
    if (tls.key) this.tls.key = readPem(tls.key, 'client key (key)');
    else if (tls.cert) this.tls.key = this.tls.cert;
  }

  private connectionPools(): Promise<Pools> {
    this.pools ??= loadHttp().then((modules) => {
      // `timeout` closes a socket idle in the pool after that long (the agent destroys free sockets
      // that time out; a request in progress is bounded by its own signal instead)
      const common = { keepAlive: true, timeout: this.keepAliveTimeoutMs, ...(this.maxSockets !== undefined ? { maxSockets: this.maxSockets } : {}) };
      return { modules, http: new modules.http.Agent(common), https: new modules.https.Agent({ ...common, ...this.tls }) };
    });
    return this.pools;
  }

  /** Sends one request and reads the whole response. Throws only for faults without a response. */
  async send(request: HttpRequest, responseType: ResponseType = 'json'): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    // One controller for the caller's signal and the timeout (AbortSignal.timeout + any() per call
    // cost more, and any() keeps its sources until the GC runs).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const unfollow = request.signal ? followAbort(request.signal, controller) : undefined;
    const signal = controller.signal;
    this.inFlight += 1;
    try {
      if (this.closing) throw Object.assign(new Error('the HTTP transport is closed'), { code: 'ERR_TRANSPORT_CLOSED' });
      const pools = await this.connectionPools();
      const response = await this.exchange(pools, request, signal);
      const status = response.statusCode ?? 0;
      const statusText = pools.modules.http.STATUS_CODES[status] ?? '';
      const headers = new ResponseHeaders(response.headers);
      const body = await readBody(response);
      if (responseType === 'bytes') return { status, statusText, headers, text: '', bytes: new Uint8Array(body.buffer, body.byteOffset, body.length) };
      return { status, statusText, headers, text: body.toString('utf8') };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (timedOut) {
        throw new OpenStackConnectionError('ConnectTimeout', request.method, request.url, 'timeout', `no complete response within ${timeoutMs / 1000} s`, {
          cause: error,
        });
      }
      const cause = rootCause(error);
      const kind = classify(cause.code);
      const detail = cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
      throw new OpenStackConnectionError(kind, request.method, request.url, cause.code, detail, { cause: error });
    } finally {
      clearTimeout(timer);
      unfollow?.();
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  /** Sends the request; resolves with the response once its headers are in. */
  private exchange(pools: Pools, request: HttpRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string> = { ...request.headers };
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) {
      headers['Content-Length'] = String(body.byteLength);
    }
    return new Promise((resolve, reject) => {
      const outgoing = (secure ? pools.modules.https : pools.modules.http).request(
        url,
        { method: request.method, headers, agent: secure ? pools.https : pools.http, signal },
        resolve,
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  }

  /** Refuses new requests, lets those in flight finish, then closes the sockets (calling it again is harmless). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
      const pools = await this.pools;
      pools?.http.destroy();
      pools?.https.destroy();
    })();
    return this.closing;
  }
}
