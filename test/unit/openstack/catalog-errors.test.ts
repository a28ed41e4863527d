/** Catalog lookup, endpoint normalisation, error excerpts and safe URLs: pure functions. */
import { describe, expect, it } from 'vitest';
import { EndpointNotFound, ServiceCatalog, apiBaseUrl, authRequestBody, errorExcerpt, httpErrorName, safeUrl, substituteProjectId } from '../../../src/openstack/index.js';

const catalog = new ServiceCatalog([
  {
    type: 'volumev3',
    endpoints: [
      { interface: 'public', region_id: 'RegionOne', url: 'http://one:8776/v3/%(project_id)s' },
      { interface: 'public', region_id: 'RegionTwo', url: 'http://two:8776/v3/%(tenant_id)s' },
    ],
  },
  { type: 'volume', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'http://old:8776/v1/$(tenant_id)s' }] },
  { type: 'compute', endpoints: [{ interface: 'internal', region: 'RegionOne', url: 'http://internal:8774/v2.1' }] },
  { type: 'image', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: 'https://cloud.example/image/' }] },
]);

describe('ServiceCatalog', () => {
  it('finds block-storage under its aliases, preferring the official order, by region', () => {
    expect(catalog.url('block-storage', { interface: 'public', regionName: 'RegionTwo' })).toBe('http://two:8776/v3/%(tenant_id)s');
    expect(catalog.url('block-storage', { interface: 'public' })).toBe('http://one:8776/v3/%(project_id)s');
    expect(catalog.url('block-storage', { interface: 'public', preferredTypes: ['volume'] })).toBe('http://old:8776/v1/$(tenant_id)s');
  });

  it('matches the interface, and the older "region" field', () => {
    expect(catalog.url('compute', { interface: 'internal', regionName: 'RegionOne' })).toBe('http://internal:8774/v2.1');
  });

  it('says what exists when nothing matches', () => {
    expect(() => catalog.url('compute', { interface: 'public' })).toThrow(EndpointNotFound);
    expect(() => catalog.url('block-storage', { interface: 'public', regionName: 'Nowhere' })).toThrow(
      'no block-storage endpoint in the service catalog (types block-storage/volumev3/volume/volumev2/block-store, interface public, region Nowhere) (regions with that interface: RegionOne, RegionTwo)',
    );
    expect(catalog.types()).toEqual(['compute', 'image', 'volume', 'volumev3']);
  });
});

describe('apiBaseUrl', () => {
  it('adds the version a bare root lacks, keeps a versioned one, substitutes the project', () => {
    expect(apiBaseUrl('image', 'https://cloud.example/image/', 'p')).toBe('https://cloud.example/image/v2');
    expect(apiBaseUrl('image', 'http://g:9292/v2/', 'p')).toBe('http://g:9292/v2');
    expect(apiBaseUrl('network', 'http://n:9696', 'p')).toBe('http://n:9696/v2.0');
    expect(apiBaseUrl('network', 'http://n:9696/v2.0/', 'p')).toBe('http://n:9696/v2.0');
    expect(apiBaseUrl('block-storage', 'http://c:8776/v3/%(project_id)s', 'p1')).toBe('http://c:8776/v3/p1');
    expect(apiBaseUrl('block-storage', 'http://c:8776', 'p1')).toBe('http://c:8776/v3/p1');
    expect(apiBaseUrl('compute', 'http://n:8774/v2.1/%(tenant_id)s', 'p1')).toBe('http://n:8774/v2.1/p1');
    expect(apiBaseUrl('placement', 'http://p:8778/', 'p1')).toBe('http://p:8778');
    expect(apiBaseUrl('identity', 'http://k:5000', undefined)).toBe('http://k:5000/v3');
  });

  it('needs a project for a project URL', () => {
    expect(substituteProjectId('http://c/v3/{project_id}', 'x')).toBe('http://c/v3/x');
    expect(() => substituteProjectId('http://c/v3/%(project_id)s', undefined)).toThrow(/not project-scoped/);
  });
});

describe('error texts', () => {
  it('takes the message out of each service error shape', () => {
    expect(errorExcerpt('{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}')).toBe('Instance x could not be found.');
    expect(errorExcerpt('{"NeutronError": {"type": "NetworkNotFound", "message": "Network n could not be found.", "detail": ""}}')).toBe(
      'NetworkNotFound: Network n could not be found.',
    );
    expect(errorExcerpt('{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}')).toBe(
      'The request you have made requires authentication.',
    );
    expect(errorExcerpt('{"errors": [{"status": 409, "title": "Conflict", "detail": "There was a conflict.", "request_id": "req-1"}]}')).toBe('There was a conflict.');
    expect(errorExcerpt('<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  No image found with ID x<br /><br />\n\n\n </body>\n</html>')).toBe(
      'No image found with ID x',
    );
    expect(errorExcerpt('  plain   text\n')).toBe('plain text');
    expect(errorExcerpt('')).toBe('');
    expect(errorExcerpt('{"truncated": ')).toBe('{"truncated":');
  });

  it('names HTTP errors like keystoneauth', () => {
    expect([400, 404, 409, 413, 500, 503, 418].map(httpErrorName)).toEqual([
      'BadRequest',
      'NotFound',
      'Conflict',
      'RequestEntityTooLarge',
      'InternalServerError',
      'ServiceUnavailable',
      'HttpError',
    ]);
  });

  it('keeps credentials out of URLs', () => {
    expect(safeUrl('https://user:pw@host/v3/x?token=abc&name=n')).toBe('https://host/v3/x?token=***&name=n');
    expect(safeUrl('not a url //a:b@c')).toBe('not a url //c');
  });
});

describe('authRequestBody', () => {
  it('builds password, token and application credential bodies with their scopes', () => {
    expect(
      authRequestBody({ method: 'password', user: { id: 'u1' }, password: 'p', scope: { kind: 'domain', name: 'Default' } }),
    ).toEqual({ auth: { identity: { methods: ['password'], password: { user: { id: 'u1', password: 'p' } } }, scope: { domain: { name: 'Default' } } } });
    expect(authRequestBody({ method: 'token', token: 't', scope: { kind: 'project', id: 'p1' } })).toEqual({
      auth: { identity: { methods: ['token'], token: { id: 't' } }, scope: { project: { id: 'p1' } } },
    });
    expect(authRequestBody({ method: 'token', token: 't', scope: { kind: 'system' } }).auth).toHaveProperty('scope', { system: { all: true } });
    expect(authRequestBody({ method: 'application_credential', name: 'ac', secret: 's', user: { name: 'demo', domainName: 'Default' } })).toEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { secret: 's', name: 'ac', user: { name: 'demo', domain: { name: 'Default' } } },
        },
      },
    });
    expect(authRequestBody({ method: 'password', user: { name: 'u', domainId: 'default' }, password: 'p' })).toEqual({
      auth: { identity: { methods: ['password'], password: { user: { name: 'u', domain: { id: 'default' }, password: 'p' } } } },
    });
  });
});
