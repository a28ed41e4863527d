/**
 * A Rally env spec or deployment file (YAML or JSON), checked against rally-openstack's
 * existing@openstack CONFIG_SCHEMA (rally_openstack/environment/platforms/existing.py):
 *
 *   {"openstack": {auth_url, region_name, endpoint_type, https_insecure, https_cacert, https_cert,
 *                  https_key, admin: {username, password, project_name|tenant_name,
 *                  user_domain_name, project_domain_name}, users: [...], api_info: {...}}}
 *
 * The platform key may also be "existing@openstack"; keys starting with "!" (!description,
 * !extras, !config, !version) are Rally's and ignored. The old deployment format (rally
 * deployment create, before Rally 0.10) is read too: {"type": "ExistingCloud", "creds":
 * {"openstack": {...}}}, and the even older {"type": "ExistingCloud", "auth_url": ..., "admin": ...}.
 */
import { InputError } from '../common/errors.js';
import type { ConfigDocument, KeyPath } from './config-file.js';
import { configError, readConfigFile } from './config-file.js';
import type { ApiInfo, CloudCredential, PasswordAuth } from './credential.js';
import { DEFAULT_DOMAIN_ID } from './credential.js';
import { isKeystoneV2Url } from './values.js';

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PLATFORM_KEYS = [
  'auth_url',
  'region_name',
  'endpoint',
  'endpoint_type',
  'https_insecure',
  'https_cacert',
  'https_cert',
  'https_key',
  'profiler_hmac_key',
  'profiler_conn_str',
  'admin',
  'users',
  'api_info',
];

const USER_KEYS = ['username', 'password', 'project_name', 'tenant_name', 'domain_name', 'user_domain_name', 'project_domain_name'];

/** The spec's openstack part and its path in the file. */
function findPlatform(doc: ConfigDocument): { spec: Dict; path: KeyPath } {
  const data = doc.data;
  if (!isDict(data)) throw configError(doc, [], 'a Rally env spec must be a mapping, e.g. {"openstack": {"auth_url": ..., "admin": {...}}}');
  if (data.type !== undefined) {
    if (data.type !== 'ExistingCloud') {
      throw configError(doc, ['type'], `deployment type '${String(data.type)}' does not exist; only ExistingCloud (an existing cloud) is supported`);
    }
    if (data.creds === undefined) {
      // the pre-0.10 form: the platform keys next to "type" (Rally's db migration moves them under creds.openstack)
      const { type: _type, extra: _extra, ...spec } = data;
      return { spec, path: [] };
    }
    if (!isDict(data.creds) || !isDict(data.creds.openstack)) {
      throw configError(doc, ['creds'], 'an ExistingCloud deployment needs "creds": {"openstack": {...}}');
    }
    return { spec: data.creds.openstack, path: ['creds', 'openstack'] };
  }
  let found: { spec: Dict; path: KeyPath } | undefined;
  for (const [key, value] of Object.entries(data)) {
    if (key.startsWith('!')) continue;
    if (key !== 'openstack' && key !== 'existing@openstack') {
      throw configError(doc, [key], `platform '${key}' is not supported: rally-gate runs against OpenStack (key "openstack" or "existing@openstack")`);
    }
    if (found) throw configError(doc, [key], 'both "openstack" and "existing@openstack" are given: keep one');
    if (!isDict(value)) throw configError(doc, [key], `"${key}" must be a mapping of auth_url, admin, users...`);
    found = { spec: value, path: [key] };
  }
  if (!found) throw configError(doc, [], 'the spec has no OpenStack platform (key "openstack" or "existing@openstack")');
  return found;
}

function expectString(doc: ConfigDocument, path: KeyPath, value: unknown, what: string): string {
  if (typeof value !== 'string') throw configError(doc, path, `${what} must be a string`);
  return value;
}

function optionalString(doc: ConfigDocument, path: KeyPath, value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return expectString(doc, path, value, what);
}

/** One admin/users entry: Rally's "user" definition (username, password, project_name|tenant_name). */
function readUser(doc: ConfigDocument, path: KeyPath, value: unknown): PasswordAuth {
  if (!isDict(value)) throw configError(doc, path, 'a user must be a mapping of username, password, project_name...');
  for (const key of Object.keys(value)) {
    if (!USER_KEYS.includes(key)) {
      throw configError(doc, [...path, key], `unknown key '${key}' in a user`, [`allowed: ${USER_KEYS.join(', ')}`]);
    }
  }
  const field = (key: string): string | undefined => optionalString(doc, [...path, key], value[key], key);
  const username = field('username');
  const password = field('password');
  const projectName = field('project_name') ?? field('tenant_name');
  const missing = [
    username === undefined ? 'username' : undefined,
    password === undefined ? 'password' : undefined,
    projectName === undefined ? 'project_name (or tenant_name)' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) throw configError(doc, path, `user is missing ${missing.join(', ')}`);
  // Rally defaults both domains to its [openstack] user_domain/project_domain option, "default"
  const userDomain = field('user_domain_name');
  const projectDomain = field('project_domain_name');
  return {
    method: 'password',
    user: { name: username as string, ...(userDomain ? { domainName: userDomain } : { domainId: DEFAULT_DOMAIN_ID }) },
    password: password as string,
    scope: { kind: 'project', name: projectName as string, ...(projectDomain ? { domainName: projectDomain } : { domainId: DEFAULT_DOMAIN_ID }) },
  };
}

function readApiInfo(doc: ConfigDocument, path: KeyPath, value: unknown): Record<string, ApiInfo> {
  if (value === undefined) return {};
  if (!isDict(value)) throw configError(doc, path, 'api_info must be a mapping of client name to {version, service_type}');
  const info: Record<string, ApiInfo> = {};
  for (const [client, entry] of Object.entries(value)) {
    const entryPath = [...path, client];
    if (!/^[a-z]+$/.test(client)) throw configError(doc, entryPath, `api_info: '${client}' is not a client name (lowercase letters)`);
    if (!isDict(entry) || Object.keys(entry).length === 0) throw configError(doc, entryPath, `api_info.${client} must be {version and/or service_type}`);
    const allowed = client === 'neutron' ? ['version', 'service_type', 'pre_newton'] : ['version', 'service_type'];
    for (const key of Object.keys(entry)) {
      if (!allowed.includes(key)) throw configError(doc, [...entryPath, key], `unknown key '${key}' in api_info.${client}`);
    }
    const item: ApiInfo = {};
    if (entry.version !== undefined) {
      if (typeof entry.version !== 'string' && typeof entry.version !== 'number') {
        throw configError(doc, [...entryPath, 'version'], 'version must be a string or a number');
      }
      item.version = String(entry.version);
    }
    if (entry.service_type !== undefined) item.serviceType = expectString(doc, [...entryPath, 'service_type'], entry.service_type, 'service_type');
    info[client] = item;
  }
  return info;
}

/** Parses a spec that has already been read; `doc.file` is used in errors and the origin. */
export function credentialFromRallySpec(doc: ConfigDocument): CloudCredential {
  const { spec, path } = findPlatform(doc);
  const at = (key: string): KeyPath => [...path, key];
  for (const key of Object.keys(spec)) {
    if (!PLATFORM_KEYS.includes(key)) {
      throw configError(doc, at(key), `unknown key '${key}' in the openstack platform spec`, [`allowed: ${PLATFORM_KEYS.join(', ')}`]);
    }
  }
  if (spec.admin === undefined && spec.users === undefined) throw configError(doc, path, 'the openstack spec needs "admin" or "users" (or both)');
  if (spec.auth_url === undefined) throw configError(doc, path, 'auth_url is missing');
  const authUrl = expectString(doc, at('auth_url'), spec.auth_url, 'auth_url');
  if (isKeystoneV2Url(authUrl)) throw configError(doc, at('auth_url'), 'Keystone v2.0 is not supported (removed from OpenStack in Queens); use the v3 URL');

  const endpointType = spec.endpoint_type;
  if (endpointType !== undefined && endpointType !== null && endpointType !== 'public' && endpointType !== 'internal' && endpointType !== 'admin') {
    throw configError(doc, at('endpoint_type'), `endpoint_type must be public, internal, admin or null (got ${JSON.stringify(endpointType)})`);
  }
  if (spec.https_insecure !== undefined && typeof spec.https_insecure !== 'boolean') {
    throw configError(doc, at('https_insecure'), 'https_insecure must be true or false');
  }
  let users: PasswordAuth[] = [];
  if (spec.users !== undefined) {
    if (!Array.isArray(spec.users) || spec.users.length === 0) throw configError(doc, at('users'), 'users must be a non-empty list of users');
    users = spec.users.map((user, index) => readUser(doc, [...at('users'), index], user));
  }
  const admin = spec.admin !== undefined ? readUser(doc, at('admin'), spec.admin) : undefined;
  const region = optionalString(doc, at('region_name'), spec.region_name, 'region_name');
  const cacert = optionalString(doc, at('https_cacert'), spec.https_cacert, 'https_cacert');
  const cert = optionalString(doc, at('https_cert'), spec.https_cert, 'https_cert');
  const key = optionalString(doc, at('https_key'), spec.https_key, 'https_key');

  const credential: CloudCredential = {
    authUrl,
    interface: (endpointType as CloudCredential['interface'] | null | undefined) ?? 'public',
    tls: {
      insecure: spec.https_insecure === true,
      ...(cacert ? { cacert } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    },
    apiInfo: readApiInfo(doc, at('api_info'), spec.api_info),
    users,
    origin: `Rally spec ${doc.file}`,
  };
  if (admin) credential.admin = admin;
  if (region) credential.regionName = region;
  return credential;
}

/** Reads a Rally env spec / deployment file. */
export function loadRallySpec(file: string): CloudCredential {
  const doc = readConfigFile(file);
  if (doc.data === null || doc.data === undefined) throw new InputError('the Rally spec file is empty', { file });
  return credentialFromRallySpec(doc);
}
