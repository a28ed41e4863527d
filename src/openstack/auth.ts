/**
 * Keystone v3 authentication: POST /v3/auth/tokens with a password (project-, domain- or
 * system-scoped), a token, or an application credential, and the token's facts (expiry,
 * user, project, roles, catalog). An unversioned auth URL is resolved to its v3 API by
 * version discovery, as keystoneauth does.
 */
import type { AuthScope, CloudAuth, UserRef } from '../cloud/credential.js';
import { describeAuth } from '../cloud/credential.js';
import type { CatalogService } from './catalog.js';
import { ServiceCatalog } from './catalog.js';
import { AuthenticationFailed, OpenStackHttpError, safeUrl } from './errors.js';
import { requestIdOf, type HttpTransport } from './http.js';

export interface NamedRef {
  id: string;
  name: string;
}

export interface TokenInfo {
  /** the X-Subject-Token value */
  token: string;
  /** epoch milliseconds */
  expiresAt: number;
  issuedAt: number;
  methods: string[];
  user: NamedRef & { domain?: NamedRef };
  project?: NamedRef & { domain?: NamedRef };
  domain?: NamedRef;
  system?: boolean;
  roles: NamedRef[];
  catalog: ServiceCatalog;
}

/** The token body as Keystone returns it (the fields we read). */
interface TokenBody {
  token: {
    expires_at: string;
    issued_at: string;
    methods?: string[];
    user: NamedRef & { domain?: NamedRef };
    project?: NamedRef & { domain?: NamedRef };
    domain?: NamedRef;
    system?: Record<string, boolean>;
    roles?: NamedRef[];
    catalog?: CatalogService[];
  };
}

function userBody(user: UserRef): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (user.id !== undefined) body.id = user.id;
  if (user.name !== undefined) {
    body.name = user.name;
    if (user.domainId !== undefined) body.domain = { id: user.domainId };
    else if (user.domainName !== undefined) body.domain = { name: user.domainName };
  }
  return body;
}

function scopeBody(scope: AuthScope | undefined): Record<string, unknown> | undefined {
  if (!scope) return undefined;
  switch (scope.kind) {
    case 'project': {
      if (scope.id !== undefined) return { project: { id: scope.id } };
      const domain = scope.domainId !== undefined ? { id: scope.domainId } : { name: scope.domainName };
      return { project: { name: scope.name, domain } };
    }
    case 'domain':
      return { domain: scope.id !== undefined ? { id: scope.id } : { name: scope.name } };
    case 'system':
      return { system: { all: true } };
  }
}

/** The JSON body of POST /v3/auth/tokens for an auth. */
export function authRequestBody(auth: CloudAuth): Record<string, unknown> {
  let identity: Record<string, unknown>;
  let scope: Record<string, unknown> | undefined;
  switch (auth.method) {
    case 'password':
      identity = { methods: ['password'], password: { user: { ...userBody(auth.user), password: auth.password } } };
      scope = scopeBody(auth.scope);
      break;
    case 'token':
      identity = { methods: ['token'], token: { id: auth.token } };
      scope = scopeBody(auth.scope);
      break;
    case 'application_credential': {
      const credential: Record<string, unknown> = { secret: auth.secret };
      if (auth.id !== undefined) credential.id = auth.id;
      else {
        credential.name = auth.name;
        if (auth.user) credential.user = userBody(auth.user);
      }
      identity = { methods: ['application_credential'], application_credential: credential };
      break;
    }
  }
  return { auth: scope ? { identity, scope } : { identity } };
}

interface VersionEntry {
  id?: string;
  status?: string;
  links?: Array<{ rel?: string; href?: string }>;
}

/**
 * The v3 API URL for an auth URL: ".../v3" as is; otherwise Keystone's version document at the
 * URL lists v3 and its "self" link (keystoneauth's discovery). Sessions cache the result.
 */
export async function resolveIdentityUrl(transport: HttpTransport, authUrl: string, signal?: AbortSignal): Promise<string> {
  const trimmed = authUrl.replace(/\/+$/, '');
  if (/\/v3(\.\d+)?$/.test(trimmed)) return trimmed;
  return discoverV3(transport, trimmed, signal);
}

async function discoverV3(transport: HttpTransport, rootUrl: string, signal?: AbortSignal): Promise<string> {
  const response = await transport.send({ method: 'GET', url: `${rootUrl}/`, headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  let versions: VersionEntry[] = [];
  try {
    const parsed = JSON.parse(response.text) as { versions?: { values?: VersionEntry[] } | VersionEntry[]; version?: VersionEntry };
    if (Array.isArray(parsed.versions)) versions = parsed.versions;
    else if (parsed.versions?.values) versions = parsed.versions.values;
    else if (parsed.version) versions = [parsed.version];
  } catch {
    // not a version document: fall back to the conventional path
  }
  const v3 = versions.find((v) => v.id?.startsWith('v3') && v.status !== 'deprecated');
  const self = v3?.links?.find((link) => link.rel === 'self')?.href;
  if (self) return self.replace(/\/+$/, '');
  if (response.status >= 200 && response.status < 400) return `${rootUrl}/v3`;
  throw new OpenStackHttpError({ method: 'GET', url: `${rootUrl}/`, status: response.status, statusText: response.statusText, body: response.text });
}


function parseTokenBody(token: string, text: string): TokenInfo {
  const body = JSON.parse(text) as TokenBody;
  const t = body.token;
  const info: TokenInfo = {
    token,
    expiresAt: Date.parse(t.expires_at),
    issuedAt: Date.parse(t.issued_at),
    methods: t.methods ?? [],
    user: t.user,
    roles: t.roles ?? [],
    catalog: new ServiceCatalog(t.catalog ?? []),
  };
  if (t.project) info.project = t.project;
  if (t.domain) info.domain = t.domain;
  if (t.system) info.system = true;
  if (Number.isNaN(info.expiresAt)) throw new Error('token has no valid expires_at');
  return info;
}

export interface IssueTokenOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** skip the catalog in the response (?nocatalog), for token-only measurements */
  noCatalog?: boolean;
}

/**
 * Issues a token at a v3 identity URL (see resolveIdentityUrl). Keystone refusing the credential (401, 403, 404 of the user/project) is
 * AuthenticationFailed with the original error as cause; network faults stay OpenStackConnectionError.
 */
export async function issueToken(transport: HttpTransport, identityUrl: string, auth: CloudAuth, options: IssueTokenOptions = {}): Promise<TokenInfo> {
  const url = `${identityUrl}/auth/tokens${options.noCatalog ? '?nocatalog' : ''}`;
  const response = await transport.send({
    method: 'POST',
    url,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(authRequestBody(auth)),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const requestId = requestIdOf(response.headers);
  if (response.status !== 201 && response.status !== 200) {
    const error = new OpenStackHttpError({ method: 'POST', url, status: response.status, statusText: response.statusText, body: response.text, ...(requestId ? { requestId } : {}) });
    if (response.status >= 400 && response.status < 500) {
      throw new AuthenticationFailed(identityUrl, describeAuth(auth), `${error.name}: ${error.serviceMessage || response.statusText}${requestId ? ` (request id ${requestId})` : ''}`, {
        cause: error,
      });
    }
    throw error;
  }
  const token = response.headers.get('x-subject-token');
  if (!token) throw new AuthenticationFailed(identityUrl, describeAuth(auth), `POST ${safeUrl(url)} returned no X-Subject-Token header`);
  try {
    return parseTokenBody(token, response.text);
  } catch (error) {
    throw new AuthenticationFailed(identityUrl, describeAuth(auth), `unreadable token response (${(error as Error).message})`, { cause: error });
  }
}

