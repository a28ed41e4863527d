/**
 * One authenticated identity against one cloud: the token (issued on first use, renewed
 * before it expires and once after a 401), the endpoints of its catalog, and typed JSON
 * requests to the services. Cheap to create; many iterations may share one concurrently
 * (token renewal is done once for all callers waiting on it). No global state: sessions of a
 * cloud share only the HttpTransport they are given.
 */
import type { CloudAuth, CloudEndpointSettings } from '../cloud/credential.js';
import { describeAuth } from '../cloud/credential.js';
import { issueToken, resolveIdentityUrl } from './auth.js';
import type { TokenInfo } from './auth.js';
import { RALLY_CLIENT_NAMES, apiBaseUrl } from './catalog.js';
import type { ServiceType } from './catalog.js';
import { OpenStackHttpError, OpenStackInvalidResponse } from './errors.js';
import { requestIdOf, type HttpTransport, type ResponseHeaders, type ResponseType } from './http.js';

/** keystoneauth renews a token that expires within 120 s (MIN_TOKEN_LIFE_SECONDS). */
const TOKEN_RENEW_MARGIN_MS = 120_000;

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number>;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  /** sent as JSON */
  body?: unknown;
  /** sent as is (image data); Content-Type defaults to application/octet-stream */
  rawBody?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  /** microversion for this request (compute "2.79", block-storage "3.59", placement "1.30"); overrides the session's */
  microversion?: string;
  /** statuses that are success; default any 2xx */
  expectedStatus?: number[];
  /** how to read the body: JSON (default; empty body = undefined), text, or bytes */
  responseType?: ResponseType;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  headers: ResponseHeaders;
  body: T;
  /** the body as text ('json' and 'text' responses) */
  text: string;
  bytes?: Uint8Array;
  requestId: string | undefined;
  method: string;
  url: string;
}

export interface SessionOptions {
  transport: HttpTransport;
  settings: CloudEndpointSettings;
  auth: CloudAuth;
  /** default microversions per service (else from api_info versions like nova "2.52") */
  microversions?: Partial<Record<ServiceType, string>>;
  /** API base URLs that bypass the catalog (tests, clouds with broken catalogs) */
  endpointOverrides?: Partial<Record<ServiceType, string>>;
  /** per-request timeout; the transport's default when absent */
  timeoutMs?: number;
  userAgent?: string;
}

const MICROVERSION_HEADER_SERVICE: Partial<Record<ServiceType, string>> = {
  compute: 'compute',
  'block-storage': 'volume',
  placement: 'placement',
};

function appendQuery(url: string, query: Query | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const search = params.toString();
  if (search === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${search}`;
}

/** `promise`, or the signal's abort reason as soon as it aborts (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}


export class OpenStackSession {
  readonly transport: HttpTransport;
  readonly settings: CloudEndpointSettings;
  readonly auth: CloudAuth;
  private readonly options: SessionOptions;
  private current: TokenInfo | undefined;
  private pendingAuth: Promise<TokenInfo> | undefined;
  private identityUrlPromise: Promise<string> | undefined;
  private readonly baseUrls = new Map<ServiceType, string>();

  constructor(options: SessionOptions) {
    this.options = options;
    this.transport = options.transport;
    this.settings = options.settings;
    this.auth = options.auth;
  }

  /** "user admin (domain default), project admin (domain default)" */
  describe(): string {
    return describeAuth(this.auth);
  }

  /** The token last issued, if any (synchronous; may be expired). */
  get tokenInfo(): TokenInfo | undefined {
    return this.current;
  }

  /** Keystone's v3 URL (discovered once when the auth URL is unversioned). */
  identityUrl(signal?: AbortSignal): Promise<string> {
    if (!this.identityUrlPromise) {
      this.identityUrlPromise = resolveIdentityUrl(this.transport, this.settings.authUrl);
      this.identityUrlPromise.catch(() => {
        this.identityUrlPromise = undefined;
      });
    }
    return untilAborted(this.identityUrlPromise, signal);
  }

  private isFresh(info: TokenInfo): boolean {
    const lifetime = info.expiresAt - info.issuedAt;
    const margin = Number.isFinite(lifetime) && lifetime > 0 ? Math.min(TOKEN_RENEW_MARGIN_MS, lifetime / 4) : TOKEN_RENEW_MARGIN_MS;
    return info.expiresAt - Date.now() > margin;
  }

  /** A valid token: the cached one, or a new one when there is none or it expires soon. */
  async token(signal?: AbortSignal): Promise<TokenInfo> {
    if (this.current && this.isFresh(this.current)) return this.current;
    return this.authenticate(signal);
  }

  /**
   * Issues a new token now: one request for all concurrent callers. A caller's `signal` stops
   * its own wait, not the shared request.
   */
  authenticate(signal?: AbortSignal): Promise<TokenInfo> {
    if (!this.pendingAuth) {
      const pending = (async () => {
        const identityUrl = await this.identityUrl();
        return issueToken(this.transport, identityUrl, this.auth, {
          ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
        });
      })();
      this.pendingAuth = pending;
      pending.then(
        (info) => {
          this.current = info;
          this.pendingAuth = undefined;
        },
        () => {
          this.pendingAuth = undefined;
        },
      );
    }
    return untilAborted(this.pendingAuth, signal);
  }

  /** Drops the cached token if it is still `stale` (another caller may have renewed it already). */
  private invalidate(stale: TokenInfo): void {
    if (this.current === stale) this.current = undefined;
  }

  /** The project the token is scoped to (authenticating if needed). */
  async projectId(signal?: AbortSignal): Promise<string> {
    const info = await this.token(signal);
    if (!info.project) throw new Error(`${this.describe()}: the token is not scoped to a project`);
    return info.project.id;
  }

  /** The API base URL of a service: catalog endpoint, versioned, project id substituted. */
  async endpoint(service: ServiceType, signal?: AbortSignal): Promise<string> {
    const cached = this.baseUrls.get(service);
    if (cached) return cached;
    const override = this.options.endpointOverrides?.[service];
    let url: string;
    if (override) url = override.replace(/\/+$/, '');
    else {
      const info = await this.token(signal);
      const preferred = this.settings.apiInfo[RALLY_CLIENT_NAMES[service]]?.serviceType;
      let catalogUrl: string;
      if (service === 'identity' && !info.catalog.services.some((s) => s.type === 'identity')) {
        catalogUrl = await this.identityUrl(signal);
      } else {
        catalogUrl = info.catalog.url(service, {
          interface: this.settings.interface,
          ...(this.settings.regionName ? { regionName: this.settings.regionName } : {}),
          ...(preferred ? { preferredTypes: [preferred] } : {}),
        });
      }
      url = apiBaseUrl(service, catalogUrl, info.project?.id);
    }
    this.baseUrls.set(service, url);
    return url;
  }

  /** The microversion a request to `service` carries, if any. */
  microversionFor(service: ServiceType, explicit?: string): string | undefined {
    if (explicit !== undefined) return explicit;
    const configured = this.options.microversions?.[service];
    if (configured !== undefined) return configured;
    // Rally's api_info / api_versions: "2.52" is a microversion, a bare "2" or "3" is not
    const version = this.settings.apiInfo[RALLY_CLIENT_NAMES[service]]?.version;
    return version !== undefined && version.includes('.') && MICROVERSION_HEADER_SERVICE[service] ? version : undefined;
  }

  private headersFor(service: ServiceType, token: string, options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: options.responseType === 'bytes' ? 'application/octet-stream' : 'application/json',
      'User-Agent': this.options.userAgent ?? 'rally-gate',
      'X-Auth-Token': token,
    };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    else if (options.rawBody !== undefined) headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
    const microversion = this.microversionFor(service, options.microversion);
    if (microversion !== undefined) {
      const headerService = MICROVERSION_HEADER_SERVICE[service];
      if (!headerService) throw new Error(`the ${service} API has no microversions (asked for ${microversion})`);
      headers['OpenStack-API-Version'] = `${headerService} ${microversion}`;
      if (service === 'compute') headers['X-OpenStack-Nova-API-Version'] = microversion;
    }
    return { ...headers, ...options.headers };
  }

  /**
   * One API call. `apiPath` is relative to the service's base URL ("/servers/detail") or an
   * absolute URL (a pagination link). Non-expected statuses throw OpenStackHttpError; a 401 is
   * retried once with a new token.
   */
  async request<T = unknown>(service: ServiceType, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const base = /^https?:\/\//.test(path) ? '' : await this.endpoint(service, options.signal);
    const url = appendQuery(base === '' ? path : `${base}${path.startsWith('/') || path === '' ? '' : '/'}${path}`, options.query);
    const body = options.body !== undefined ? JSON.stringify(options.body) : options.rawBody;
    const responseType = options.responseType ?? 'json';

    for (let attempt = 0; ; attempt++) {
      const token = await this.token(options.signal);
      const response = await this.transport.send(
        {
          method,
          url,
          headers: this.headersFor(service, token.token, options),
          ...(body !== undefined ? { body } : {}),
          ...(options.timeoutMs !== undefined || this.options.timeoutMs !== undefined
            ? { timeoutMs: (options.timeoutMs ?? this.options.timeoutMs) as number }
            : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
        responseType,
      );
      const requestId = requestIdOf(response.headers);
      if (response.status === 401 && attempt === 0 && !(options.expectedStatus ?? []).includes(401)) {
        // the token was revoked or expired early: one new token, one retry (keystoneauth does the same)
        this.invalidate(token);
        continue;
      }
      const expected = options.expectedStatus ? options.expectedStatus.includes(response.status) : response.status >= 200 && response.status < 300;
      if (!expected) {
        throw new OpenStackHttpError({
          method,
          url,
          status: response.status,
          statusText: response.statusText,
          body: response.text,
          ...(requestId ? { requestId } : {}),
        });
      }
      let parsed: unknown = undefined;
      if (responseType === 'json' && response.text.trim() !== '') {
        try {
          parsed = JSON.parse(response.text);
        } catch (error) {
          throw new OpenStackInvalidResponse(method, url, response.status, requestId, `response is not JSON (${(error as Error).message}): ${response.text.slice(0, 100)}`);
        }
      } else if (responseType === 'text') parsed = response.text;
      return {
        status: response.status,
        headers: response.headers,
        body: parsed as T,
        text: response.text,
        ...(response.bytes ? { bytes: response.bytes } : {}),
        requestId,
        method,
        url,
      };
    }
  }

  async get<T = unknown>(service: ServiceType, path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(service, 'GET', path, options)).body;
  }

  async post<T = unknown>(service: ServiceType, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(service, 'POST', path, { ...options, ...(body !== undefined ? { body } : {}) })).body;
  }

  async put<T = unknown>(service: ServiceType, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(service, 'PUT', path, { ...options, ...(body !== undefined ? { body } : {}) })).body;
  }

  async patch<T = unknown>(service: ServiceType, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.request<T>(service, 'PATCH', path, { ...options, ...(body !== undefined ? { body } : {}) })).body;
  }

  async delete(service: ServiceType, path: string, options?: RequestOptions): Promise<void> {
    await this.request(service, 'DELETE', path, options);
  }
}

/** A property of a JSON object response, or OpenStackInvalidResponse naming what is missing. */
export function requireKey<T>(response: ApiResponse<unknown>, key: string): T {
  const body = response.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null || !(key in body)) {
    throw new OpenStackInvalidResponse(response.method, response.url, response.status, response.requestId, `no "${key}" in the response body`);
  }
  return body[key] as T;
}

/** Tagged template for API paths: every interpolated id or name is URL-encoded, e.g. apiPath`/servers/${id}`. */
export function apiPath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += encodeURIComponent(String(value)) + (strings[index + 1] ?? '');
  });
  return out;
}
