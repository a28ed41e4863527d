/**
 * The Keystone v3 service catalog of a token: endpoint lookup by service type (with the
 * official aliases: block-storage is also volumev3, volumev2, volume), interface and region,
 * then the endpoint made usable: %(project_id)s substituted, and the API version path added
 * where catalogs commonly list a service's root (Glance /v2, Neutron /v2.0, Keystone /v3).
 */
import type { EndpointInterface } from '../cloud/credential.js';
import { EndpointNotFound } from './errors.js';

/** The services rally-gate talks to, by their official service-types-authority names. */
export type ServiceType = 'identity' | 'compute' | 'image' | 'network' | 'block-storage' | 'placement';

/** Catalog types that mean the same service, preferred first (service-types-authority aliases). */
export const SERVICE_TYPE_ALIASES: Record<ServiceType, string[]> = {
  identity: ['identity'],
  compute: ['compute'],
  image: ['image'],
  network: ['network'],
  'block-storage': ['block-storage', 'volumev3', 'volume', 'volumev2', 'block-store'],
  placement: ['placement'],
};

/** Rally's client names (api_info keys) for each service. */
export const RALLY_CLIENT_NAMES: Record<ServiceType, string> = {
  identity: 'keystone',
  compute: 'nova',
  image: 'glance',
  network: 'neutron',
  'block-storage': 'cinder',
  placement: 'placement',
};

export interface CatalogEndpoint {
  id?: string;
  interface: string;
  region_id?: string | null;
  region?: string | null;
  url: string;
}

export interface CatalogService {
  id?: string;
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

/** The version path a service's API lives under when the catalog lists only its root. */
const VERSION_SUFFIX: Partial<Record<ServiceType, string>> = {
  identity: '/v3',
  image: '/v2',
  network: '/v2.0',
  compute: '/v2.1',
  'block-storage': '/v3/{project_id}',
};

const VERSIONED_PATH = /\/v\d+(\.\d+)?(\/|$)/;

/** "%(project_id)s", "%(tenant_id)s", "$(project_id)s", "{project_id}": the token's project. */
export function substituteProjectId(url: string, projectId: string | undefined): string {
  const pattern = /%\((project_id|tenant_id)\)s|\$\((project_id|tenant_id)\)s|\{(project_id|tenant_id)\}/g;
  if (!pattern.test(url)) return url;
  if (projectId === undefined) throw new EndpointNotFound(`endpoint ${url} needs a project id, but the token is not project-scoped`);
  return url.replace(pattern, projectId);
}

/** The URL the API is called at: versioned (suffix added to a bare root), project id substituted, no trailing slash. */
export function apiBaseUrl(service: ServiceType, catalogUrl: string, projectId: string | undefined): string {
  let url = catalogUrl.replace(/\/+$/, '');
  const suffix = VERSION_SUFFIX[service];
  if (suffix !== undefined && !VERSIONED_PATH.test(new URL(url).pathname)) url += suffix;
  return substituteProjectId(url, projectId).replace(/\/+$/, '');
}

export interface EndpointQuery {
  interface: EndpointInterface;
  regionName?: string;
  /** catalog types to try first (Rally's api_info service_type), before the official aliases */
  preferredTypes?: string[];
}

export class ServiceCatalog {
  constructor(readonly services: ReadonlyArray<CatalogService>) {}

  /** The catalog URL of a service (as listed, before version/project handling), or EndpointNotFound. */
  url(service: ServiceType, query: EndpointQuery): string {
    const types = [...(query.preferredTypes ?? []), ...SERVICE_TYPE_ALIASES[service]];
    const regionsSeen = new Set<string>();
    for (const type of types) {
      for (const entry of this.services) {
        if (entry.type !== type) continue;
        for (const endpoint of entry.endpoints) {
          const region = endpoint.region_id ?? endpoint.region ?? '';
          if (endpoint.interface !== query.interface) continue;
          regionsSeen.add(region);
          if (query.regionName && region !== query.regionName) continue;
          return endpoint.url;
        }
      }
    }
    const where = `interface ${query.interface}${query.regionName ? `, region ${query.regionName}` : ''}`;
    const regions = regionsSeen.size > 0 ? ` (regions with that interface: ${[...regionsSeen].join(', ')})` : '';
    throw new EndpointNotFound(`no ${service} endpoint in the service catalog (types ${types.join('/')}, ${where})${regions}`);
  }

  /** Service types present, for messages and `rally env info`-like output. */
  types(): string[] {
    return [...new Set(this.services.map((s) => s.type))].sort();
  }
}
