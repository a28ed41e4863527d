/**
 * Errors of the OpenStack client. Every message says which request failed (method and URL,
 * never a token or password), and for HTTP errors the status, the request id and what the
 * service said, so that an iteration error in a report can be traced in the service's logs.
 *
 * `name` is the Python class name Rally would record for the same failure (the engine records
 * [name, message, traceback]): keystoneauth's HttpError subclasses by status (NotFound,
 * Conflict...), ConnectFailure / ConnectTimeout / SSLError for network faults, Rally's
 * TimeoutException / GetResourceErrorStatus / GetResourceNotFound for waiters,
 * AuthenticationFailed for Keystone refusing a credential. Use `instanceof` to test the kind.
 */

/** keystoneauth1.exceptions.http class names by status; others are HttpError. */
const HTTP_ERROR_NAMES: Record<number, string> = {
  300: 'MultipleChoices',
  400: 'BadRequest',
  401: 'Unauthorized',
  402: 'PaymentRequired',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  407: 'ProxyAuthenticationRequired',
  408: 'RequestTimeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'LengthRequired',
  412: 'PreconditionFailed',
  413: 'RequestEntityTooLarge',
  414: 'RequestUriTooLong',
  415: 'UnsupportedMediaType',
  416: 'RequestedRangeNotSatisfiable',
  417: 'ExpectationFailed',
  422: 'UnprocessableEntity',
  500: 'InternalServerError',
  501: 'HttpNotImplemented',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
  505: 'HttpVersionNotSupported',
};

export function httpErrorName(status: number): string {
  return HTTP_ERROR_NAMES[status] ?? 'HttpError';
}

const EXCERPT_LENGTH = 300;

/** A URL fit for messages: no user:password@, and no query values that look like credentials. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|password|secret|signature|key/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}...` : flat;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'detail', 'title', 'faultstring', 'error_message']) {
    if (typeof record[key] === 'string' && record[key] !== '') return record[key] as string;
  }
  return undefined;
}

/**
 * What the service said, from the error body shapes OpenStack services use:
 * nova/cinder {"itemNotFound": {"message"}}, neutron {"NeutronError": {"type", "message"}},
 * keystone {"error": {"message"}}, placement {"errors": [{"detail"}]}, glance's HTML page.
 */
export function errorExcerpt(body: string): string {
  const text = body.trim();
  if (text === '') return '';
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null) {
        const record = parsed as Record<string, unknown>;
        if (Array.isArray(record.errors) && record.errors.length > 0) {
          const message = messageOf(record.errors[0]);
          if (message) return shorten(message);
        }
        const direct = messageOf(record);
        if (direct) return shorten(direct);
        for (const value of Object.values(record)) {
          const message = messageOf(value);
          if (message) {
            // neutron names the error kind next to the message
            const type = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).type : undefined;
            return shorten(typeof type === 'string' ? `${type}: ${message}` : message);
          }
        }
      }
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  if (/^<(!doctype|html)/i.test(text)) {
    const withoutHead = text.replace(/<head>[\s\S]*?<\/head>/i, '').replace(/<h1>[\s\S]*?<\/h1>/i, '');
    return shorten(withoutHead.replace(/<[^>]*>/g, ' '));
  }
  return shorten(text);
}

export interface HttpErrorDetails {
  method: string;
  url: string;
  status: number;
  statusText?: string;
  requestId?: string;
  body: string;
}

/** A response whose status was not the expected one. */
export class OpenStackHttpError extends Error {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly requestId: string | undefined;
  /** what the service said (parsed from the error body), possibly empty */
  readonly serviceMessage: string;
  /** the raw body, for callers that parse it (e.g. Nova's fault details) */
  readonly body: string;

  constructor(details: HttpErrorDetails) {
    const serviceMessage = errorExcerpt(details.body);
    const url = safeUrl(details.url);
    const statusText = details.statusText ? ` ${details.statusText}` : '';
    const requestId = details.requestId ? ` (request id ${details.requestId})` : '';
    super(`${details.method} ${url} -> ${details.status}${statusText}${requestId}${serviceMessage ? `: ${serviceMessage}` : ''}`);
    this.name = httpErrorName(details.status);
    this.method = details.method;
    this.url = url;
    this.status = details.status;
    this.requestId = details.requestId;
    this.serviceMessage = serviceMessage;
    this.body = details.body;
  }
}

/** A 2xx response whose body is not what the API promises (bad JSON, missing key). keystoneauth's InvalidResponse. */
export class OpenStackInvalidResponse extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly requestId: string | undefined,
    problem: string,
  ) {
    super(`${method} ${safeUrl(url)} -> ${status}${requestId ? ` (request id ${requestId})` : ''}: ${problem}`);
    this.name = 'InvalidResponse';
  }
}

export type ConnectionFaultKind = 'ConnectFailure' | 'ConnectTimeout' | 'SSLError' | 'UnknownConnectionError';

/** The request got no response: refused, reset, DNS, TLS, or no answer within the timeout. */
export class OpenStackConnectionError extends Error {
  constructor(
    readonly kind: ConnectionFaultKind,
    readonly method: string,
    readonly url: string,
    /** the system or Node error code, e.g. ECONNREFUSED, ERR_STREAM_PREMATURE_CLOSE, or "timeout" */
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${safeUrl(url)} failed: ${detail}`, options);
    this.name = kind;
  }
}

/** Keystone refused the credential (or could not be reached to check it). Rally's AuthenticationFailed. */
export class AuthenticationFailed extends Error {
  constructor(
    readonly authUrl: string,
    readonly who: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Failed to authenticate to ${safeUrl(authUrl)} for ${who}: ${reason}`, options);
    this.name = 'AuthenticationFailed';
  }
}

/** No endpoint of that service type/interface/region in the catalog. keystoneauth's EndpointNotFound. */
export class EndpointNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointNotFound';
  }
}

/** rally.exceptions.TimeoutException: a waiter gave up. */
export class ResourceTimeout extends Error {
  constructor(
    readonly resourceType: string,
    readonly resourceName: string,
    readonly resourceId: string,
    readonly desiredStatuses: string[],
    readonly lastStatus: string,
    readonly timeoutSeconds: number,
  ) {
    super(
      `Rally tired waiting ${timeoutSeconds.toFixed(2)} seconds for ${resourceType} ${resourceName}:${resourceId} ` +
        `to become ('${desiredStatuses.join("', '")}') current status ${lastStatus}`,
    );
    this.name = 'TimeoutException';
  }
}

/** rally.exceptions.GetResourceErrorStatus: the resource went to an error status (with the fault, when the API gives one). */
export class ResourceErrorStatus extends Error {
  constructor(
    readonly resource: string,
    readonly status: string,
    readonly fault: string,
  ) {
    super(`Resource ${resource} has ${status} status.\n Fault: ${fault}`);
    this.name = 'GetResourceErrorStatus';
  }
}

/** rally.exceptions.GetResourceNotFound: the resource vanished while waiting for a status. */
export class ResourceNotFound extends Error {
  constructor(readonly resource: string) {
    super(`Resource ${resource} is not found.`);
    this.name = 'GetResourceNotFound';
  }
}

export function isHttpStatus(error: unknown, status: number): error is OpenStackHttpError {
  return error instanceof OpenStackHttpError && error.status === status;
}
