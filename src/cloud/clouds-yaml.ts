/**
 * clouds.yaml (+ secure.yaml), read the way openstacksdk's config loader (openstack/config/loader.py)
 * and openstackclient read them:
 *
 * - Files: $OS_CLIENT_CONFIG_FILE first, then clouds.{yaml,yml,json} in the current directory,
 *   $XDG_CONFIG_HOME/openstack (default ~/.config/openstack), ~/.config/openstack, each of
 *   $XDG_CONFIG_DIRS/openstack (default /etc/xdg/openstack), /etc/openstack. The first that exists
 *   is used; files are not merged with each other. secure.{yaml,yml,json} is found the same way
 *   ($OS_CLIENT_SECURE_FILE first) and deep-merged over it (it usually holds only passwords).
 * - Keys: "-" and "_" are the same; tenant_* means project_*; endpoint_type means interface;
 *   auth_token means token; domain_id/domain_name set both user and project domain when the cloud
 *   is project-scoped; auth options may also sit next to `auth:` instead of inside it.
 * - Regions: region_name (a string, comma-separated, or a list) or `regions:` (names or
 *   {name, values}); the first unless one is selected ($OS_REGION_NAME / --os-region-name).
 * - A user or project name without a domain is looked up in the default domain ("default",
 *   or `default_domain`), as openstackclient does.
 *
 * Deliberately not supported, with a clear message: vendor profiles (`profile:`/`cloud:` and
 * clouds-public.yaml), auth types other than password, token and application credential, Keystone v2.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { InputError } from '../common/errors.js';
import { AuthOptionProblem, authFromOptions } from './auth-options.js';
import type { FlatOptions } from './auth-options.js';
import { configError, readConfigFile } from './config-file.js';
import type { ConfigDocument } from './config-file.js';
import type { ApiInfo, CloudCredential } from './credential.js';
import { DEFAULT_DOMAIN_ID } from './credential.js';
import { boolFromString, expandHome, isKeystoneV2Url, parseInterface, scalarString } from './values.js';

export interface CloudsYamlOptions {
  /** the cloud's name (--os-cloud, else $OS_CLOUD); when absent, the file's only cloud */
  cloud?: string;
  /** region to select (--os-region-name, else $OS_REGION_NAME) */
  regionName?: string;
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** defaults to process.cwd() */
  cwd?: string;
  /** defaults to os.homedir() */
  homeDir?: string;
  /** the system-wide directory searched last; defaults to /etc/openstack (tests point it elsewhere) */
  systemDir?: string;
}

const SYSTEM_CONFIG_DIR = '/etc/openstack';

const SUFFIXES = ['.yaml', '.yml', '.json'];

/** The directories openstacksdk searches, in order (duplicates kept out). */
export function configSearchDirs(env: NodeJS.ProcessEnv, cwd: string, home: string, systemDir = SYSTEM_CONFIG_DIR): string[] {
  const userConfigHome = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : join(home, '.config');
  const siteDirs = (env.XDG_CONFIG_DIRS ? env.XDG_CONFIG_DIRS : '/etc/xdg').split(delimiter).filter((d) => d !== '');
  const dirs = [
    cwd,
    join(userConfigHome, 'openstack'),
    join(home, '.config', 'openstack'),
    ...siteDirs.map((d) => join(d, 'openstack')),
    systemDir,
  ];
  return [...new Set(dirs)];
}

/** Candidate files for `clouds` or `secure`, the override variable's file first. */
export function candidateFiles(
  base: 'clouds' | 'secure',
  env: NodeJS.ProcessEnv,
  cwd: string,
  home: string,
  systemDir = SYSTEM_CONFIG_DIR,
): string[] {
  const override = base === 'clouds' ? env.OS_CLIENT_CONFIG_FILE : env.OS_CLIENT_SECURE_FILE;
  const files = configSearchDirs(env, cwd, home, systemDir).flatMap((dir) => SUFFIXES.map((suffix) => join(dir, base + suffix)));
  return override ? [resolve(cwd, override), ...files] : files;
}

function firstExisting(files: string[]): string | undefined {
  return files.find((file) => existsSync(file));
}

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** openstacksdk's normalize_keys: "-" -> "_" in every key, recursively. */
function normalizeKeys(value: Dict): Dict {
  const out: Dict = {};
  for (const [key, v] of Object.entries(value)) out[key.replace(/-/g, '_')] = isDict(v) ? normalizeKeys(v) : v;
  return out;
}

/** openstacksdk's merge_clouds: nested dicts merged, everything else replaced. */
function mergeDeep(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const old = out[key];
    out[key] = isDict(value) && isDict(old) ? mergeDeep(old, value) : value;
  }
  return out;
}

/** dict.update, except that `auth` is merged one level deep (openstacksdk's _auth_update). */
function authUpdate(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === 'auth' && isDict(value) && isDict(out.auth)) out.auth = { ...out.auth, ...value };
    else out[key] = value;
  }
  return out;
}

/** The keys that may sit in `auth:` (or next to it) for the auth types rally-gate supports. */
const AUTH_KEYS = [
  'auth_url',
  'username',
  'user_id',
  'password',
  'user_domain_id',
  'user_domain_name',
  'project_id',
  'project_name',
  'project_domain_id',
  'project_domain_name',
  'domain_id',
  'domain_name',
  'system_scope',
  'token',
  'application_credential_id',
  'application_credential_name',
  'application_credential_secret',
  'default_domain_id',
  'default_domain_name',
];

/** Old spellings, as openstacksdk's _fix_backwards_project maps them (last one wins). */
const BACKWARDS_AUTH_KEYS: Record<string, string[]> = {
  project_id: ['tenant_id', 'project_id'],
  project_name: ['tenant_name', 'project_name'],
  token: ['auth_token', 'token'],
};

/** Flattens a cloud entry's auth options: `auth:` wins over the same key next to it. */
function flattenAuth(cloud: Dict): FlatOptions {
  const auth = isDict(cloud.auth) ? cloud.auth : {};
  const flat: FlatOptions = {};
  for (const key of AUTH_KEYS) flat[key] = scalarString(auth[key]) ?? scalarString(cloud[key]);
  for (const [target, spellings] of Object.entries(BACKWARDS_AUTH_KEYS)) {
    let value: string | undefined;
    for (const spelling of spellings) value = scalarString(cloud[spelling]) ?? scalarString(auth[spelling]) ?? value;
    flat[target] = value;
  }
  // domain_* once for both user and project (openstacksdk's _handle_domain_id)
  const projectScoped = flat.project_id !== undefined || flat.project_name !== undefined;
  if (projectScoped) {
    for (const kind of ['id', 'name'] as const) {
      const shared = flat[`domain_${kind}`];
      if (shared === undefined) continue;
      flat[`user_domain_${kind}`] ??= shared;
      flat[`project_domain_${kind}`] ??= shared;
      delete flat[`domain_${kind}`];
    }
  }
  return flat;
}

interface RegionEntry {
  name: string;
  values: Dict;
}

function regionsOf(doc: ConfigDocument, path: string[], cloud: Dict): RegionEntry[] {
  if (cloud.regions !== undefined) {
    if (!Array.isArray(cloud.regions)) throw configError(doc, [...path, 'regions'], 'regions must be a list');
    return cloud.regions.map((region, index) => {
      if (typeof region === 'string') return { name: region, values: {} };
      if (isDict(region) && typeof region.name === 'string' && Object.keys(region).every((k) => k === 'name' || k === 'values')) {
        return { name: region.name, values: isDict(region.values) ? normalizeKeys(region.values) : {} };
      }
      throw configError(doc, [...path, 'regions', index], 'invalid region entry: a name, or {name, values}');
    });
  }
  if (cloud.region_name !== undefined && cloud.region_name !== null) {
    const names = Array.isArray(cloud.region_name) ? cloud.region_name.map(String) : String(cloud.region_name).split(',');
    return names.map((name) => ({ name, values: {} }));
  }
  return [];
}

function apiInfoOf(cloud: Dict): Record<string, ApiInfo> {
  // openstacksdk's <service>_api_version keys, under Rally's client names
  const clients: Record<string, string> = {
    identity: 'keystone',
    compute: 'nova',
    image: 'glance',
    network: 'neutron',
    volume: 'cinder',
    block_storage: 'cinder',
    placement: 'placement',
  };
  const info: Record<string, ApiInfo> = {};
  for (const [service, client] of Object.entries(clients)) {
    const version = scalarString(cloud[`${service}_api_version`]);
    if (version !== undefined) info[client] = { version };
  }
  return info;
}

/** Where the clouds.yaml for these options would be read (undefined if none exists). */
export function findCloudsFile(options: CloudsYamlOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  return firstExisting(candidateFiles('clouds', env, options.cwd ?? process.cwd(), options.homeDir ?? homedir(), options.systemDir));
}

/** Reads the selected cloud of the clouds.yaml that openstacksdk would read. */
export function loadCloudsYaml(options: CloudsYamlOptions = {}): CloudCredential {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = options.homeDir ?? homedir();

  if (env.OS_CLIENT_CONFIG_FILE && !existsSync(resolve(cwd, env.OS_CLIENT_CONFIG_FILE))) {
    throw new InputError(`OS_CLIENT_CONFIG_FILE names a file that does not exist: ${env.OS_CLIENT_CONFIG_FILE}`);
  }
  const candidates = candidateFiles('clouds', env, cwd, home, options.systemDir);
  const file = firstExisting(candidates);
  if (!file) {
    throw new InputError(`no clouds.yaml found${options.cloud ? ` for cloud '${options.cloud}'` : ''}`, undefined, undefined, [
      `searched: ${candidates.filter((f) => !f.endsWith('.json') && !f.endsWith('.yml')).join(', ')} (also .yml, .json)`,
      'set OS_CLIENT_CONFIG_FILE to its path, or use OS_* variables or a Rally spec file',
    ]);
  }
  const doc = readConfigFile(file);
  if (!isDict(doc.data)) throw configError(doc, [], 'a clouds.yaml must be a mapping with a "clouds:" key');
  // keys are normalised per cloud entry, not the cloud names ("dev-cloud" stays as is)
  let data: Dict = doc.data;

  const secureFile = firstExisting(candidateFiles('secure', env, cwd, home, options.systemDir));
  if (secureFile) {
    const secure = readConfigFile(secureFile);
    if (!isDict(secure.data)) throw configError(secure, [], 'a secure.yaml must be a mapping with a "clouds:" key');
    data = mergeDeep(data, secure.data);
  }

  const clouds = data.clouds;
  if (!isDict(clouds) || Object.keys(clouds).length === 0) throw configError(doc, ['clouds'], 'no clouds defined (key "clouds:")');
  const names = Object.keys(clouds);
  let name = options.cloud;
  if (name === undefined || name === '') {
    if (names.length !== 1) {
      throw new InputError(`${file} defines ${names.length} clouds: choose one with --os-cloud or OS_CLOUD (${names.join(', ')})`);
    }
    name = names[0] as string;
  }
  const rawEntry = clouds[name];
  if (!isDict(rawEntry)) {
    throw new InputError(`cloud '${name}' not found in ${file}`, { file }, undefined, [`clouds there: ${names.join(', ')}`]);
  }
  const entry = normalizeKeys(rawEntry);
  const path = ['clouds', name];
  if (entry.profile !== undefined || entry.cloud !== undefined) {
    const key = entry.profile !== undefined ? 'profile' : 'cloud';
    throw configError(
      doc,
      [...path, key],
      `vendor profiles (${key}: ${String(entry[key])}, clouds-public.yaml) are not supported`,
      ['write the profile\'s auth_url, region_name and interface into this cloud entry instead'],
    );
  }

  const regions = regionsOf(doc, path, entry);
  const wantedRegion = options.regionName ?? (env.OS_REGION_NAME || undefined);
  let region: RegionEntry | undefined = regions[0];
  if (wantedRegion !== undefined) {
    region = regions.find((r) => r.name === wantedRegion);
    if (!region && regions.length > 0) {
      throw configError(
        doc,
        [...path, entry.regions !== undefined ? 'regions' : 'region_name'],
        `region '${wantedRegion}' is not a region of cloud '${name}' (region names are case sensitive)`,
        [`regions: ${regions.map((r) => r.name).join(', ')}`],
      );
    }
    region ??= { name: wantedRegion, values: {} };
  }
  const cloud = region ? authUpdate(entry, region.values) : entry;

  const flat = flattenAuth(cloud);
  const authUrl = flat.auth_url;
  const authPath = [...path, isDict(entry.auth) ? 'auth' : 'auth_url'];
  if (authUrl === undefined || authUrl === '') throw configError(doc, authPath, `cloud '${name}': auth_url is missing`);
  const identityVersion = scalarString(cloud.identity_api_version);
  if (isKeystoneV2Url(authUrl) || identityVersion === '2' || identityVersion === '2.0') {
    throw configError(doc, authPath, `cloud '${name}': Keystone v2.0 is not supported (removed from OpenStack in Queens); use the v3 URL`);
  }
  const authType = scalarString(cloud.auth_type) ?? scalarString(cloud.auth_plugin);
  const defaultDomainId = flat.default_domain_id ?? scalarString(cloud.default_domain) ?? DEFAULT_DOMAIN_ID;
  let auth;
  try {
    auth = authFromOptions(flat, authType, defaultDomainId);
  } catch (problem) {
    if (problem instanceof AuthOptionProblem) {
      const where = problem.key === 'auth_type' ? [...path, 'auth_type'] : authPath;
      throw configError(doc, where, `cloud '${name}': ${problem.message}`);
    }
    throw problem;
  }

  const interfaceValue = scalarString(cloud.interface) ?? scalarString(cloud.endpoint_type);
  const endpointInterface = parseInterface(interfaceValue);
  if (endpointInterface === null) {
    throw configError(doc, [...path, 'interface'], `cloud '${name}': interface must be public, internal or admin (got '${interfaceValue}')`);
  }
  // openstacksdk: insecure wins over verify; cacert only matters while verifying
  const insecure = boolFromString(cloud.insecure) || (cloud.verify !== undefined && !boolFromString(cloud.verify));
  const cacert = scalarString(cloud.cacert);
  const cert = scalarString(cloud.cert);
  const key = scalarString(cloud.key);

  const credential: CloudCredential = {
    authUrl,
    interface: endpointInterface ?? 'public',
    tls: {
      insecure,
      ...(cacert ? { cacert: expandHome(cacert, home) } : {}),
      ...(cert ? { cert: expandHome(cert, home) } : {}),
      ...(key ? { key: expandHome(key, home) } : {}),
    },
    apiInfo: apiInfoOf(cloud),
    admin: auth,
    users: [],
    origin: `clouds.yaml ${file} (cloud '${name}')${secureFile ? ` + ${secureFile}` : ''}`,
  };
  if (region && region.name !== '') credential.regionName = region.name;
  return credential;
}
