/**
 * tempest.conf from the cloud itself, the way Rally's TempestConfigfileManager and
 * TempestContext make it: identity (auth URL + version, region, endpoint type, TLS), the admin's
 * credentials, service_available per catalog service, Neutron's loaded extensions and external
 * network, then the resources tests need (an image, two flavors, a network when shared networks
 * exist) created before the run with our name prefix and deleted after it. User overrides last.
 *
 * buildTempestConfig is pure (facts in, sections out) so it is tested without a cloud;
 * discoverCloudFacts and createTempestResources talk to the cloud.
 */
import { randomBytes } from 'node:crypto';
import { InputError } from '../common/errors.js';
import type { CloudCredential } from '../cloud/credential.js';
import { compute, image, isHttpStatus, network, type OpenStackSession } from '../openstack/index.js';

/** section -> option -> value, in insertion order */
export type IniSections = Map<string, Map<string, string>>;

/** tempest's [service_available] flag per catalog service type (types as Keystone lists them). */
const SERVICE_FLAGS: Record<string, string[]> = {
  nova: ['compute'],
  glance: ['image'],
  neutron: ['network'],
  cinder: ['block-storage', 'volumev3', 'volumev2', 'volume'],
  swift: ['object-store'],
  heat: ['orchestration'],
  ironic: ['baremetal'],
  sahara: ['data-processing', 'data_processing'],
};

/** What tempest.conf is made from, read from the cloud (no secrets but the admin password). */
export interface CloudFacts {
  /** Keystone v3 URL */
  identityUri: string;
  region?: string;
  interface: string;
  insecure: boolean;
  cacert?: string;
  admin: { username: string; password: string; projectName: string; userDomainName: string; projectDomainName: string };
  /** catalog service types present */
  serviceTypes: string[];
  /** block-storage type to use ([volume] catalog_type) */
  volumeCatalogType?: string;
  networkExtensions?: string[];
  externalNetwork?: { id: string; name: string };
  /** shared networks exist: tempest needs fixed_network_name (Rally's rule) */
  hasSharedNetworks: boolean;
}

/** What createTempestResources made (or what overrides named). */
export interface TempestResources {
  imageId?: string;
  flavorId?: string;
  flavorAltId?: string;
  networkName?: string;
}

export interface TempestPaths {
  logDir: string;
  lockDir: string;
}

function set(sections: IniSections, section: string, option: string, value: string | undefined): void {
  if (value === undefined) return;
  let options = sections.get(section);
  if (!options) sections.set(section, (options = new Map()));
  options.set(option, value);
}

export function serviceAvailable(serviceTypes: readonly string[]): Record<string, boolean> {
  const present = new Set(serviceTypes);
  return Object.fromEntries(Object.entries(SERVICE_FLAGS).map(([flag, types]) => [flag, types.some((t) => present.has(t))]));
}

export function buildTempestConfig(
  facts: CloudFacts,
  resources: TempestResources,
  paths: TempestPaths,
  overrides: Record<string, Record<string, string>> = {},
): IniSections {
  const s: IniSections = new Map();
  set(s, 'DEFAULT', 'log_dir', paths.logDir);
  set(s, 'DEFAULT', 'log_file', 'tempest.log');
  set(s, 'DEFAULT', 'use_stderr', 'false');

  set(s, 'auth', 'admin_username', facts.admin.username);
  set(s, 'auth', 'admin_password', facts.admin.password);
  set(s, 'auth', 'admin_project_name', facts.admin.projectName);
  set(s, 'auth', 'admin_domain_name', facts.admin.userDomainName);
  set(s, 'auth', 'admin_user_domain_name', facts.admin.userDomainName);
  set(s, 'auth', 'admin_project_domain_name', facts.admin.projectDomainName);
  set(s, 'auth', 'use_dynamic_credentials', 'true');

  set(s, 'identity', 'auth_version', 'v3');
  set(s, 'identity', 'uri_v3', facts.identityUri);
  set(s, 'identity', 'region', facts.region);
  set(s, 'identity', 'v3_endpoint_type', facts.interface);
  set(s, 'identity', 'disable_ssl_certificate_validation', facts.insecure ? 'true' : 'false');
  set(s, 'identity', 'ca_certificates_file', facts.cacert);
  // Keystone has had no v2 API since Queens; we only speak v3
  set(s, 'identity-feature-enabled', 'api_v2', 'false');
  set(s, 'identity-feature-enabled', 'api_v3', 'true');

  const available = serviceAvailable(facts.serviceTypes);
  for (const [flag, on] of Object.entries(available)) set(s, 'service_available', flag, on ? 'true' : 'false');
  // the dashboard is not in the catalog; tempest would look for it at a default URL
  set(s, 'service_available', 'horizon', 'false');

  for (const section of ['compute', 'image', 'network', 'volume', 'placement']) set(s, section, 'region', facts.region);
  // tempest 33 takes public/admin/internal here (not Rally's old publicURL)
  for (const section of ['compute', 'image', 'network', 'volume', 'placement']) set(s, section, 'endpoint_type', facts.interface);
  if (facts.volumeCatalogType) set(s, 'volume', 'catalog_type', facts.volumeCatalogType);

  set(s, 'compute', 'image_ref', resources.imageId);
  set(s, 'compute', 'image_ref_alt', resources.imageId);
  set(s, 'compute', 'flavor_ref', resources.flavorId);
  set(s, 'compute', 'flavor_ref_alt', resources.flavorAltId);
  set(s, 'compute', 'fixed_network_name', resources.networkName);

  if (available['neutron']) {
    if (facts.networkExtensions) set(s, 'network-feature-enabled', 'api_extensions', facts.networkExtensions.join(','));
    if (facts.externalNetwork) {
      set(s, 'network', 'public_network_id', facts.externalNetwork.id);
      set(s, 'network', 'floating_network_name', facts.externalNetwork.name);
    }
  }
  // Rally: floating IPs when Neutron is there; validation itself stays off unless the user turns it on
  set(s, 'validation', 'connect_method', available['neutron'] ? 'floating' : 'fixed');
  set(s, 'validation', 'run_validation', 'false');
  set(s, 'oslo_concurrency', 'lock_path', paths.lockDir);

  for (const [section, options] of Object.entries(overrides)) {
    for (const [option, value] of Object.entries(options)) set(s, section, option, String(value));
  }
  return s;
}

/** Options whose values are secrets. */
const SECRET_OPTION = /password|secret|token|private_key/i;

/** INI text as oslo.config reads it. With `mask`, secret values are "***" (for the copy in the results). */
export function renderIni(sections: IniSections, options: { mask?: boolean } = {}): string {
  const out: string[] = [];
  const ordered = [...sections.entries()].sort(([a], [b]) => (a === 'DEFAULT' ? -1 : b === 'DEFAULT' ? 1 : 0));
  for (const [section, values] of ordered) {
    out.push(`[${section}]`);
    for (const [option, value] of values) {
      const shown = options.mask && SECRET_OPTION.test(option) && value !== '' ? '***' : value;
      if (/[\r\n]/.test(shown)) throw new InputError(`tempest.conf [${section}] ${option}: a value cannot span lines`);
      out.push(`${option} = ${shown}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Whether the user's overrides already set an option (then we neither create nor set it). */
export function overridden(overrides: Record<string, Record<string, string>> | undefined, section: string, option: string): boolean {
  const value = overrides?.[section]?.[option];
  return value !== undefined && value !== '';
}

// ---- talking to the cloud

/** The facts tempest.conf needs, read with the admin's session. */
export async function discoverCloudFacts(credential: CloudCredential, admin: OpenStackSession, signal?: AbortSignal): Promise<CloudFacts> {
  const auth = credential.admin;
  if (!auth || auth.method !== 'password') {
    throw new InputError(
      `${credential.origin}: tempest needs the admin's user name and password (it makes its own users with them); this credential has ${auth ? `${auth.method} auth` : 'no admin'}`,
    );
  }
  const token = await admin.token(signal);
  if (!token.project) throw new InputError(`${credential.origin}: the admin credential must be scoped to a project for tempest`);
  const identityUri = await admin.identityUrl(signal);
  const serviceTypes = token.catalog.types();
  const volumeCatalogType = ['block-storage', 'volumev3', 'volumev2', 'volume'].find((t) => serviceTypes.includes(t));
  const facts: CloudFacts = {
    identityUri,
    ...(credential.regionName ? { region: credential.regionName } : {}),
    interface: credential.interface,
    insecure: credential.tls.insecure,
    ...(credential.tls.cacert ? { cacert: credential.tls.cacert } : {}),
    admin: {
      username: auth.user.name ?? token.user.name ?? '',
      password: auth.password,
      projectName: token.project.name ?? '',
      userDomainName: auth.user.domainName ?? token.user.domain?.name ?? 'Default',
      projectDomainName: token.project.domain?.name ?? (auth.scope?.kind === 'project' ? auth.scope.domainName : undefined) ?? 'Default',
    },
    serviceTypes,
    ...(volumeCatalogType ? { volumeCatalogType } : {}),
    hasSharedNetworks: false,
  };
  if (facts.admin.username === '') throw new InputError(`${credential.origin}: tempest needs the admin's user name (the credential gives only an id)`);
  if (serviceTypes.includes('network')) {
    facts.networkExtensions = (await network.listNetworkExtensions(admin, { signal })).map((e) => e.alias).sort();
    const networks = await network.listNetworks(admin, { signal });
    const external = networks.find((n) => n.status === 'ACTIVE' && n['router:external'] === true);
    if (external) facts.externalNetwork = { id: external.id, name: external.name };
    facts.hasSharedNetworks = networks.some((n) => n.shared);
  }
  return facts;
}

/** A name for something we create: prefix, what, a random suffix (so parallel runs do not clash). */
export function resourceName(prefix: string, what: string): string {
  return `${prefix}-${what}-${randomBytes(4).toString('hex')}`;
}

export interface CreatedResources extends TempestResources {
  /** what was created, for the log: "image rally-gate-verify-image-1a2b3c4d (id)" */
  created: string[];
  /** deletes everything created, dependents first; returns the failures (never throws) */
  cleanup(): Promise<string[]>;
}

/** Rally's defaults for the flavors it looks for or creates (flavor_ref_ram/_alt_ram, _disk). */
const FLAVOR_SPECS = [
  { what: 'flavor', ram: 64, disk: 5, option: 'flavor_ref' },
  { what: 'flavor-alt', ram: 128, disk: 5, option: 'flavor_ref_alt' },
] as const;

/**
 * Creates what tempest.conf must name and the user did not: an image (tiny; tests never boot it
 * for real when validation is off), two flavors, and a shared network with a subnet when the cloud
 * already has shared networks (else tempest cannot tell which one to boot on).
 */
export async function createTempestResources(
  admin: OpenStackSession,
  facts: CloudFacts,
  options: { prefix: string; overrides?: Record<string, Record<string, string>>; signal?: AbortSignal; log?: (line: string) => void },
): Promise<CreatedResources> {
  const { prefix, overrides, signal } = options;
  const log = options.log ?? (() => undefined);
  const undo: Array<{ what: string; run: () => Promise<void> }> = [];
  const created: string[] = [];
  const resources: TempestResources = {};
  const available = serviceAvailable(facts.serviceTypes);
  const cleanup = async (): Promise<string[]> => {
    const failures: string[] = [];
    for (const step of undo.reverse()) {
      try {
        await step.run();
        log(`deleted ${step.what}`);
      } catch (err) {
        if (isHttpStatus(err, 404)) continue;
        failures.push(`could not delete ${step.what}: ${(err as Error).message}`);
      }
    }
    undo.length = 0;
    return failures;
  };
  try {
    if (available['glance'] && !overridden(overrides, 'compute', 'image_ref')) {
      const name = resourceName(prefix, 'image');
      const made = await image.createImage(admin, { name, container_format: 'bare', disk_format: 'raw', visibility: 'public' }, { signal });
      undo.push({ what: `image ${name} (${made.id})`, run: () => image.deleteImage(admin, made.id) });
      // 1 MiB of zeros, like the dev cloud's cirros stand-in: with validation off nothing boots it
      await image.uploadImageData(admin, made.id, new Uint8Array(1024 * 1024), { signal });
      await image.waitForImageStatus(admin, made, ['active'], { timeout: 120, pollInterval: 1, signal });
      resources.imageId = made.id;
      created.push(`image ${name} (${made.id})`);
    }
    if (available['nova']) {
      for (const spec of FLAVOR_SPECS) {
        if (overridden(overrides, 'compute', spec.option)) continue;
        const name = resourceName(prefix, spec.what);
        const flavor = await compute.createFlavor(admin, { name, ram: spec.ram, vcpus: 1, disk: spec.disk }, { signal });
        undo.push({ what: `flavor ${name} (${flavor.id})`, run: () => compute.deleteFlavor(admin, flavor.id) });
        if (spec.option === 'flavor_ref') resources.flavorId = flavor.id;
        else resources.flavorAltId = flavor.id;
        created.push(`flavor ${name} (${flavor.id})`);
      }
    }
    if (available['neutron'] && facts.hasSharedNetworks && !overridden(overrides, 'compute', 'fixed_network_name')) {
      const name = resourceName(prefix, 'net');
      const net = await network.createNetwork(admin, { name, shared: true }, { signal });
      undo.push({ what: `network ${name} (${net.id})`, run: () => network.deleteNetwork(admin, net.id) });
      const subnet = await network.createSubnet(admin, { network_id: net.id, name, ip_version: 4, cidr: `198.51.100.${16 * randomBytes(1)[0]! % 256}/28`, enable_dhcp: false }, { signal });
      undo.push({ what: `subnet ${name} (${subnet.id})`, run: () => network.deleteSubnet(admin, subnet.id) });
      resources.networkName = name;
      created.push(`network ${name} (${net.id}) with subnet ${subnet.id}`);
    }
  } catch (err) {
    const failures = await cleanup();
    const extra = failures.length > 0 ? `; cleanup: ${failures.join('; ')}` : '';
    throw Object.assign(err as Error, { message: `creating tempest's resources: ${(err as Error).message}${extra}` });
  }
  for (const line of created) log(`created ${line}`);
  return { ...resources, created, cleanup };
}
