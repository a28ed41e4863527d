/**
 * clouds.yaml as openstacksdk reads it: search order, secure.yaml merge, key spellings,
 * regions, auth types, TLS, and errors with file:line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { candidateFiles, loadCloudsYaml } from '../../../src/cloud/index.js';
import type { CloudsYamlOptions } from '../../../src/cloud/index.js';

let root: string;
let home: string;
let cwd: string;
let env: NodeJS.ProcessEnv;

function write(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function load(options: Partial<CloudsYamlOptions> = {}) {
  return loadCloudsYaml({ env, cwd, homeDir: home, systemDir: join(root, 'etc-openstack'), ...options });
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const DEV = `clouds:
  dev-cloud:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: admin
      password: secret
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
`;


beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rally-gate-clouds-'));
  home = join(root, 'home');
  cwd = join(root, 'work');
  mkdirSync(cwd, { recursive: true });
  env = { XDG_CONFIG_DIRS: join(root, 'xdg-site') };
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('clouds.yaml search', () => {
  it('searches like openstacksdk: override file, cwd, XDG config home, ~/.config, XDG config dirs, /etc', () => {
    const files = candidateFiles('clouds', { ...env, XDG_CONFIG_HOME: join(root, 'xdg-home'), OS_CLIENT_CONFIG_FILE: 'mine.yaml' }, cwd, home);
    expect(files.filter((f) => f.endsWith('.yaml'))).toEqual([
      join(cwd, 'mine.yaml'),
      join(cwd, 'clouds.yaml'),
      join(root, 'xdg-home', 'openstack', 'clouds.yaml'),
      join(home, '.config', 'openstack', 'clouds.yaml'),
      join(root, 'xdg-site', 'openstack', 'clouds.yaml'),
      '/etc/openstack/clouds.yaml',
    ]);
    expect(files.slice(1, 4)).toEqual([join(cwd, 'clouds.yaml'), join(cwd, 'clouds.yml'), join(cwd, 'clouds.json')]);
  });

  it('uses the first file found, not a merge of them', () => {
    write(join(home, '.config/openstack/clouds.yaml'), DEV.replace('RegionOne', 'FromHome'));
    expect(load({ cloud: 'dev-cloud' }).regionName).toBe('FromHome');
    write(join(cwd, 'clouds.yaml'), DEV.replace('RegionOne', 'FromCwd'));
    expect(load({ cloud: 'dev-cloud' }).regionName).toBe('FromCwd');
    env.OS_CLIENT_CONFIG_FILE = write(join(root, 'elsewhere.yaml'), DEV.replace('RegionOne', 'FromOverride'));
    const credential = load({ cloud: 'dev-cloud' });
    expect(credential.regionName).toBe('FromOverride');
    expect(credential.origin).toBe(`clouds.yaml ${join(root, 'elsewhere.yaml')} (cloud 'dev-cloud')`);
  });

  it('reads the dev cloud entry into a typed credential', () => {
    write(join(cwd, 'clouds.yaml'), DEV);
    expect(load({ cloud: 'dev-cloud' })).toEqual({
      authUrl: 'http://127.0.0.1:5000/v3',
      interface: 'public',
      regionName: 'RegionOne',
      tls: { insecure: false },
      apiInfo: { keystone: { version: '3' } },
      admin: {
        method: 'password',
        user: { name: 'admin', domainName: 'Default' },
        password: 'secret',
        scope: { kind: 'project', name: 'admin', domainName: 'Default' },
      },
      users: [],
      origin: `clouds.yaml ${join(cwd, 'clouds.yaml')} (cloud 'dev-cloud')`,
    });
  });

  it('takes the only cloud when none is named, and asks when there are several', () => {
    write(join(cwd, 'clouds.yaml'), DEV);
    expect(load().authUrl).toBe('http://127.0.0.1:5000/v3');
    write(join(cwd, 'clouds.yaml'), `${DEV}  other:\n    auth: {auth_url: http://x/v3, username: u, password: p, project_name: q}\n`);
    expect(inputError(() => load()).message).toMatch(/defines 2 clouds: choose one with --os-cloud or OS_CLOUD \(dev-cloud, other\)/);
  });

  it('says where it searched when there is no clouds.yaml', () => {
    const error = inputError(() => load({ cloud: 'x' }));
    expect(error.message).toBe("no clouds.yaml found for cloud 'x'");
    expect(error.hints[0]).toContain(join(cwd, 'clouds.yaml'));
  });

  it('refuses an OS_CLIENT_CONFIG_FILE that does not exist', () => {
    env.OS_CLIENT_CONFIG_FILE = join(root, 'missing.yaml');
    expect(inputError(() => load({ cloud: 'x' })).message).toContain('OS_CLIENT_CONFIG_FILE names a file that does not exist');
  });

  it('names the clouds there when the cloud is unknown', () => {
    write(join(cwd, 'clouds.yaml'), DEV);
    const error = inputError(() => load({ cloud: 'prod' }));
    expect(error.message).toBe(`cloud 'prod' not found in ${join(cwd, 'clouds.yaml')}`);
    expect(error.hints).toEqual(['clouds there: dev-cloud']);
  });
});

describe('secure.yaml', () => {
  it('is merged over clouds.yaml (found the same way, OS_CLIENT_SECURE_FILE first)', () => {
    write(join(cwd, 'clouds.yaml'), DEV.replace('      password: secret\n', ''));
    write(join(home, '.config/openstack/secure.yaml'), 'clouds:\n  dev-cloud:\n    auth:\n      password: from-secure\n');
    const credential = load({ cloud: 'dev-cloud' });
    expect(credential.admin).toMatchObject({ method: 'password', password: 'from-secure' });
    expect(credential.origin).toContain(`+ ${join(home, '.config/openstack/secure.yaml')}`);
    env.OS_CLIENT_SECURE_FILE = write(join(root, 's.json'), '{"clouds": {"dev-cloud": {"auth": {"password": "from-json"}}}}');
    expect(load({ cloud: 'dev-cloud' }).admin).toMatchObject({ password: 'from-json' });
  });
});

describe('cloud entries', () => {
  it('accepts old spellings: tenant_name, dashes, endpoint_type, auth keys next to auth, shared domain_name', () => {
    write(
      join(cwd, 'clouds.yaml'),
      `clouds:
  old:
    auth_url: https://keystone.example:5000/v3
    username: demo
    password: pw
    tenant-name: demo-project
    domain_name: Users
    endpoint_type: internalURL
    region_name: RegionA,RegionB
`,
    );
    const credential = load({ cloud: 'old' });
    expect(credential.interface).toBe('internal');
    expect(credential.regionName).toBe('RegionA');
    expect(credential.admin).toEqual({
      method: 'password',
      user: { name: 'demo', domainName: 'Users' },
      password: 'pw',
      scope: { kind: 'project', name: 'demo-project', domainName: 'Users' },
    });
    expect(load({ cloud: 'old', regionName: 'RegionB' }).regionName).toBe('RegionB');
  });

  it('defaults user and project domains to the default domain, as openstackclient does', () => {
    write(join(cwd, 'clouds.yaml'), 'clouds:\n  c:\n    auth: {auth_url: "http://k/v3", username: u, password: p, project_id: 1234}\n');
    expect(load({ cloud: 'c' }).admin).toEqual({ method: 'password', user: { name: 'u', domainId: 'default' }, password: 'p', scope: { kind: 'project', id: '1234' } });
  });

  it('reads a domain-scoped password login', () => {
    write(join(cwd, 'clouds.yaml'), 'clouds:\n  c:\n    auth: {auth_url: "http://k/v3", user_id: abc, password: p, domain_name: Default}\n');
    expect(load({ cloud: 'c' }).admin).toEqual({ method: 'password', user: { id: 'abc' }, password: 'p', scope: { kind: 'domain', name: 'Default' } });
  });

  it('reads token and application credential auth (explicit or inferred)', () => {
    write(
      join(cwd, 'clouds.yaml'),
      `clouds:
  tok:
    auth_type: v3token
    auth: {auth_url: "http://k/v3", token: gAAAA, project_name: p, project_domain_id: default}
  inferred-token:
    auth: {auth_url: "http://k/v3", token: gAAAA}
  appcred:
    auth_type: v3applicationcredential
    auth: {auth_url: "http://k/v3", application_credential_id: id1, application_credential_secret: s1}
  appcred-by-name:
    auth: {auth_url: "http://k/v3", application_credential_name: n1, application_credential_secret: s1, username: u, user_domain_name: D}
`,
    );
    expect(load({ cloud: 'tok' }).admin).toEqual({ method: 'token', token: 'gAAAA', scope: { kind: 'project', name: 'p', domainId: 'default' } });
    expect(load({ cloud: 'inferred-token' }).admin).toEqual({ method: 'token', token: 'gAAAA' });
    expect(load({ cloud: 'appcred' }).admin).toEqual({ method: 'application_credential', id: 'id1', secret: 's1' });
    expect(load({ cloud: 'appcred-by-name' }).admin).toEqual({
      method: 'application_credential',
      name: 'n1',
      secret: 's1',
      user: { name: 'u', domainName: 'D' },
    });
  });

  it('picks a region from regions: with its values', () => {
    write(
      join(cwd, 'clouds.yaml'),
      `clouds:
  multi:
    auth: {auth_url: "http://k/v3", username: u, password: p, project_name: q}
    regions:
      - name: West
        values:
          interface: internal
      - East
`,
    );
    expect(load({ cloud: 'multi' })).toMatchObject({ regionName: 'West', interface: 'internal' });
    expect(load({ cloud: 'multi', regionName: 'East' })).toMatchObject({ regionName: 'East', interface: 'public' });
    env.OS_REGION_NAME = 'East';
    expect(load({ cloud: 'multi' }).regionName).toBe('East');
    const error = inputError(() => load({ cloud: 'multi', regionName: 'north' }));
    expect(error.message).toBe("region 'north' is not a region of cloud 'multi' (region names are case sensitive)");
    expect(error.location).toMatchObject({ line: 4, column: 5 });
    expect(error.hints).toEqual(['regions: West, East']);
  });

  it('reads TLS settings: insecure wins, verify: false means insecure, ~ is expanded', () => {
    write(
      join(cwd, 'clouds.yaml'),
      `clouds:
  tls:
    auth: {auth_url: "https://k/v3", username: u, password: p, project_name: q}
    cacert: ~/ca.pem
    cert: /etc/pki/client.pem
    key: /etc/pki/client.key
  insecure:
    auth: {auth_url: "https://k/v3", username: u, password: p, project_name: q}
    insecure: "True"
  noverify:
    auth: {auth_url: "https://k/v3", username: u, password: p, project_name: q}
    verify: no
`,
    );
    expect(load({ cloud: 'tls' }).tls).toEqual({ insecure: false, cacert: join(home, 'ca.pem'), cert: '/etc/pki/client.pem', key: '/etc/pki/client.key' });
    expect(load({ cloud: 'insecure' }).tls.insecure).toBe(true);
    expect(load({ cloud: 'noverify' }).tls.insecure).toBe(true);
  });
});

describe('clouds.yaml errors', () => {
  it('points at the cloud when auth_url is missing', () => {
    const file = write(join(cwd, 'clouds.yaml'), 'clouds:\n  c:\n    auth:\n      username: u\n      password: p\n');
    const error = inputError(() => load({ cloud: 'c' }));
    expect(error.format()).toBe(`${file}:3:5: clouds.c.auth: cloud 'c': auth_url is missing`);
  });

  it('names the missing password and the unsupported auth type', () => {
    write(join(cwd, 'clouds.yaml'), 'clouds:\n  c:\n    auth: {auth_url: "http://k/v3", username: u, project_name: q}\n  d:\n    auth_type: v3oidcpassword\n    auth: {auth_url: "http://k/v3"}\n');
    expect(inputError(() => load({ cloud: 'c' })).message).toBe("cloud 'c': password is missing");
    const error = inputError(() => load({ cloud: 'd' }));
    expect(error.message).toBe("cloud 'd': auth_type 'v3oidcpassword' is not supported; rally-gate supports password, v3password, token, v3token, v3applicationcredential");
    expect(error.location).toMatchObject({ line: 5, column: 5 });
  });

  it('rejects vendor profiles and Keystone v2', () => {
    write(join(cwd, 'clouds.yaml'), 'clouds:\n  vexx:\n    profile: vexxhost\n    auth: {username: u, password: p}\n  v2:\n    auth: {auth_url: "http://k:5000/v2.0", username: u, password: p, project_name: q}\n');
    const profile = inputError(() => load({ cloud: 'vexx' }));
    expect(profile.message).toBe('vendor profiles (profile: vexxhost, clouds-public.yaml) are not supported');
    expect(profile.location).toMatchObject({ line: 3, column: 5 });
    expect(inputError(() => load({ cloud: 'v2' })).message).toContain('Keystone v2.0 is not supported');
  });

  it('reports YAML syntax errors with their position', () => {
    const file = write(join(cwd, 'clouds.yaml'), 'clouds:\n  c:\n    auth: {auth_url: "http://k/v3"\n');
    const error = inputError(() => load({ cloud: 'c' }));
    expect(error.location?.file).toBe(file);
    expect(error.location?.line).toBe(4);
    expect(error.message).toBe('not valid YAML/JSON: Flow map in block collection must be sufficiently indented and end with a }');
  });

  it('needs a clouds mapping and a valid interface', () => {
    write(join(cwd, 'clouds.yaml'), 'foo: 1\n');
    expect(inputError(() => load({ cloud: 'c' })).message).toBe('no clouds defined (key "clouds:")');
    write(join(cwd, 'clouds.yaml'), 'clouds:\n  c:\n    auth: {auth_url: "http://k/v3", username: u, password: p, project_name: q}\n    interface: private\n');
    expect(inputError(() => load({ cloud: 'c' })).message).toBe("cloud 'c': interface must be public, internal or admin (got 'private')");
  });
});
