/**
 * Plain HTTP for the OpenStack client: undici's request() over one undici Agent per TLS setting
 * (keep-alive connection pools per origin, custom CA, insecure, client certificate), a timeout
 * per request, and network faults turned into OpenStackConnectionError naming the request.
 * Status codes are not judged here (the session does that).
 */
import { readFileSync } from 'node:fs';
import type { Agent, Dispatcher } from 'undici';
import { InputError } from '../common/errors.js';
import type { TlsSettings } from '../cloud/credential.js';
import { OpenStackConnectionError } from './errors.js';
import type { ConnectionFaultKind } from './errors.js';

/** Rally's [openstack] openstack_client_http_timeout default: 180 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 180_000;

export type ResponseType = 'json' | 'text' | 'bytes';

type Undici = typeof import('undici') & { STATUS_CODES: Record<number, string | undefined> };
let undiciModule: Promise<Undici> | undefined;
/** undici (a megabyte of code, and it wakes Node's own copy) and node:http load on the first request:
 * tasks that never call a cloud (Dummy, the validator) start that much faster. */
const loadUndici = (): Promise<Undici> =>
  (undiciModule ??= Promise.all([import('undici'), import('node:http')]).then(([undici, http]) => ({ ...undici, STATUS_CODES: http.STATUS_CODES })));

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
  headers: Headers;
  /** the body as text (for 'json' and 'text') */
  text: string;
  /** the body as bytes (only for responseType 'bytes') */
  bytes?: Uint8Array;
}

export interface TransportOptions {
  /** default per-request timeout; DEFAULT_REQUEST_TIMEOUT_MS when absent */
  timeoutMs?: number;
  /** idle keep-alive sockets are closed after this (undici's default is 4 s) */
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

/** undici/system error codes that mean the TLS handshake or certificate check failed. */
function isTlsCode(code: string): boolean {
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|EPROTO/.test(code);
}

/** The innermost error with a `code` (undici's own errors carry it; wrapped ones in their cause). */
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
  if (code === 'timeout' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return 'ConnectTimeout';
  }
  if (isTlsCode(code)) return 'SSLError';
  if (/^E[A-Z]+$/.test(code) || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'ConnectFailure';
  return 'UnknownConnectionError';
}

/** undici's raw response headers as a Headers object (what the callers read them through). */
function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/**
 * One connection pool set for one TLS setting. Share it between the sessions of a cloud
 * (admin and users); close it when the run ends.
 */
export class HttpTransport {
  private readonly agentOptions: Agent.Options;
  private pool: Promise<{ undici: Undici; dispatcher: Dispatcher }> | undefined;
  readonly defaultTimeoutMs: number;

  constructor(tls: TlsSettings = { insecure: false }, options: TransportOptions = {}) {
    this.defaultTimeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const connect: Record<string, unknown> = {};
    if (tls.cacert) connect.ca = readPem(tls.cacert, 'CA certificate (cacert)');
    if (tls.insecure) connect.rejectUnauthorized = false;
    if (tls.cert) connect.cert = readPem(tls.cert, 'client certificate (cert)');
    // a client key may live in the cert file itself, as requests allows
    if (tls.key) connect.key = readPem(tls.key, 'client key (key)');
    else if (tls.cert) connect.key = connect.cert;
    this.agentOptions = {
      connect,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
      // the per-request AbortSignal bounds the time; undici's own 300 s limits must not cut in first
      headersTimeout: 0,
      bodyTimeout: 0,
      ...(options.connectionsPerOrigin !== undefined ? { connections: options.connectionsPerOrigin } : {}),
    };
  }

  private connectionPool(): Promise<{ undici: Undici; dispatcher: Dispatcher }> {
    // closed before its first request: requests fail as they do on any closed pool
    const closedBefore = this.closing !== undefined;
    this.pool ??= loadUndici().then(async (undici) => {
      const dispatcher = new undici.Agent(this.agentOptions);
      if (closedBefore) await dispatcher.close();
      return { undici, dispatcher };
    });
    return this.pool;
  }

  /** Sends one request and reads the whole response. Throws only for faults without a response. */
  async send(request: HttpRequest, responseType: ResponseType = 'json'): Promise<HttpResponse> {
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const { undici, dispatcher } = await this.connectionPool();
      // request() rather than fetch(): the same pools, without WHATWG streams and Request objects,
      // which cost about a third of the client's CPU per call (bench os1: 5 calls per iteration)
      const response = await undici.request(request.url, {
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers ?? {},
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal,
        dispatcher,
      });
      const status = response.statusCode;
      const statusText = undici.STATUS_CODES[status] ?? '';
      const headers = toHeaders(response.headers);
      if (responseType === 'bytes') {
        const bytes = new Uint8Array(await response.body.arrayBuffer());
        return { status, statusText, headers, text: '', bytes };
      }
      return { status, statusText, headers, text: await response.body.text() };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      if (timeout.aborted) {
        throw new OpenStackConnectionError('ConnectTimeout', request.method, request.url, 'timeout', `no complete response within ${timeoutMs / 1000} s`, {
          cause: error,
        });
      }
      const cause = rootCause(error);
      const kind = classify(cause.code);
      const detail = cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
      throw new OpenStackConnectionError(kind, request.method, request.url, cause.code, detail, { cause: error });
    }
  }

  private closing: Promise<void> | undefined;

  /** Closes idle sockets and refuses new requests (calling it again is harmless). */
  close(): Promise<void> {
    this.closing ??= this.pool ? this.pool.then(({ dispatcher }) => dispatcher.close()) : Promise.resolve();
    return this.closing;
  }
}
