/**
 * What HttpRequests.* scenarios share (rally/plugins/task/scenarios/requests/utils.py): one HTTP
 * request as atomic action "requests.check_request", failing with ValueError when the status
 * differs from the expected one. Python's requests.request(method, url, **kwargs) is done with
 * Node's fetch (keep-alive connection reuse is undici's default); the kwargs gate tasks use are
 * mapped: params, data, json, headers, cookies, auth, timeout, allow_redirects, verify (true only).
 */
import type { JsonObject, JsonValue } from '../../common/json.js';
import { isJsonObject } from '../../common/json.js';
import type { ConfigProblem } from '../../plugins/registry.js';
import { ScenarioError } from '../../engine/exceptions.js';
import type { ScenarioContext } from '../../engine/scenario.js';

/** JSON schemas of the requests kwargs rally-gate supports. */
export const requestKwargsSchema: Record<string, unknown> = {
  params: { type: ['object', 'array', 'string'], description: 'query string parameters' },
  data: { type: ['object', 'array', 'string'], description: 'form fields (dict/pairs) or raw body (string)' },
  json: { description: 'body sent as JSON' },
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  cookies: { type: 'object', additionalProperties: { type: 'string' } },
  auth: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2, description: '[user, password] for Basic auth' },
  timeout: {
    anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 }],
    description: 'seconds, or [connect, read] (their sum bounds the whole request)',
  },
  allow_redirects: { type: 'boolean' },
  verify: { type: ['boolean', 'string'] },
};

/** Properties of one request: url, method, status_code and the kwargs. */
export const requestProperties: Record<string, unknown> = {
  url: { type: 'string', description: 'url for the Request object' },
  method: { type: 'string', description: 'method for the Request object' },
  status_code: { type: 'integer', description: 'expected response code' },
  ...requestKwargsSchema,
};

/** Checks what a schema cannot say about one request's kwargs. */
export function checkRequestKwargs(request: JsonValue | undefined, path: Array<string | number>): ConfigProblem[] {
  if (!isJsonObject(request)) return [];
  if (request.verify === false || typeof request.verify === 'string') {
    return [
      {
        path: [...path, 'verify'],
        message:
          'rally-gate sends requests with Node fetch, which always verifies TLS certificates against its CA store: ' +
          'remove "verify" and give extra CAs with NODE_EXTRA_CA_CERTS',
      },
    ];
  }
  return [];
}

function pairs(value: JsonValue): Array<[string, string]> {
  if (Array.isArray(value)) return value.map((pair) => (Array.isArray(pair) ? [String(pair[0]), String(pair[1])] : [String(pair), '']));
  if (isJsonObject(value)) {
    // requests repeats a key for list values: {"a": [1, 2]} -> a=1&a=2
    return Object.entries(value).flatMap(([key, v]) =>
      Array.isArray(v) ? v.map((item): [string, string] => [key, String(item)]) : [[key, String(v)] as [string, string]],
    );
  }
  return [];
}

function buildUrl(url: string, params: JsonValue | undefined): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ScenarioError('MissingSchema', `Invalid URL '${url}': No scheme supplied. Perhaps you meant http://${url}?`);
  }
  if (typeof params === 'string') parsed.search += (parsed.search ? '&' : '') + params;
  else if (params !== undefined && params !== null) for (const [k, v] of pairs(params)) parsed.searchParams.append(k, v);
  return parsed.toString();
}

function buildInit(request: JsonObject, signal: AbortSignal): RequestInit {
  const headers = new Headers();
  for (const [name, value] of Object.entries(isJsonObject(request.headers) ? request.headers : {})) headers.set(name, String(value));
  if (isJsonObject(request.cookies)) {
    const cookie = Object.entries(request.cookies).map(([k, v]) => `${k}=${String(v)}`).join('; ');
    if (cookie) headers.set('cookie', cookie);
  }
  if (Array.isArray(request.auth) && request.auth.length === 2) {
    const token = Buffer.from(`${String(request.auth[0])}:${String(request.auth[1])}`).toString('base64');
    headers.set('authorization', `Basic ${token}`);
  }
  let body: string | undefined;
  const { data, json } = request;
  if (data !== undefined && data !== null) {
    if (typeof data === 'string') body = data;
    else {
      body = new URLSearchParams(pairs(data)).toString();
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
    }
  } else if (json !== undefined) {
    body = JSON.stringify(json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const timeout = request.timeout;
  const seconds = typeof timeout === 'number' ? timeout : Array.isArray(timeout) ? timeout.reduce<number>((sum, t) => sum + Number(t), 0) : 0;
  return {
    method: String(request.method).toUpperCase(),
    headers,
    ...(body === undefined ? {} : { body }),
    redirect: request.allow_redirects === false ? 'manual' : 'follow',
    signal: seconds > 0 ? AbortSignal.any([signal, AbortSignal.timeout(seconds * 1000)]) : signal,
  };
}

/** requests' exception class names for fetch failures. */
function requestError(error: unknown, url: string): Error {
  if (error instanceof ScenarioError) return error;
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return new ScenarioError('ReadTimeout', `Request to ${url} timed out`);
  if (err.name === 'AbortError') return new ScenarioError('ConnectionError', `Request to ${url} was interrupted`);
  const cause = err.cause?.message ?? err.message ?? String(error);
  return new ScenarioError('ConnectionError', `${url}: ${cause}`);
}

/** Rally's RequestScenario._check_request. */
export async function checkRequest(ctx: ScenarioContext, request: JsonObject): Promise<void> {
  await ctx.atomic('requests.check_request', async () => {
    const url = String(request.url);
    let status: number;
    try {
      const response = await fetch(buildUrl(url, request.params), buildInit(request, ctx.signal));
      await response.arrayBuffer(); // requests downloads the body before returning
      status = response.status;
    } catch (error) {
      throw requestError(error, url);
    }
    if (request.status_code !== status) {
      throw new ScenarioError('ValueError', `Expected HTTP request code is \`${String(request.status_code)}\` actual \`${status}\``);
    }
  });
}
