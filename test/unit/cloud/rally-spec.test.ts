/** Rally env specs and old deployment files, checked like rally-openstack's CONFIG_SCHEMA, with positions. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { loadRallySpec } from '../../../src/cloud/index.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rally-gate-spec-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function spec(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function failure(file: string): InputError {
  try {
    loadRallySpec(file);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const ADMIN = { method: 'password', user: { name: 'admin', domainId: 'default' }, password: 'secret', scope: { kind: 'project', name: 'admin', domainId: 'default' } };

describe('loadRallySpec', () => {
  it('reads an env spec (JSON) with everything Rally allows', () => {
    const file = spec(
      'env.json',
      JSON.stringify({
        '!description': 'dev cloud',
        openstack: {
          auth_url: 'https://k:5000/v3',
          region_name: 'RegionOne',
          endpoint_type: 'internal',
          https_insecure: false,
          https_cacert: '/ca.pem',
          admin: { username: 'admin', password: 'secret', project_name: 'admin', user_domain_name: 'Default', project_domain_name: 'Default' },
          users: [{ username: 'u1', password: 'p1', tenant_name: 't1' }],
          api_info: { nova: { version: 2.52 }, cinder: { version: '3', service_type: 'volumev3' }, neutron: { pre_newton: false } },
        },
      }),
    );
    expect(loadRallySpec(file)).toEqual({
      authUrl: 'https://k:5000/v3',
      interface: 'internal',
      regionName: 'RegionOne',
      tls: { insecure: false, cacert: '/ca.pem' },
      apiInfo: { nova: { version: '2.52' }, cinder: { version: '3', serviceType: 'volumev3' }, neutron: {} },
      admin: {
        method: 'password',
        user: { name: 'admin', domainName: 'Default' },
        password: 'secret',
        scope: { kind: 'project', name: 'admin', domainName: 'Default' },
      },
      users: [{ method: 'password', user: { name: 'u1', domainId: 'default' }, password: 'p1', scope: { kind: 'project', name: 't1', domainId: 'default' } }],
      origin: `Rally spec ${file}`,
    });
  });

  it('accepts existing@openstack (YAML), existing users only', () => {
    const file = spec('env.yaml', 'existing@openstack:\n  auth_url: http://k/v3\n  users:\n    - {username: u, password: p, project_name: q}\n');
    const credential = loadRallySpec(file);
    expect(credential.admin).toBeUndefined();
    expect(credential.users).toHaveLength(1);
    expect(credential.interface).toBe('public');
  });

  it('reads the old ExistingCloud deployment formats', () => {
    const withCreds = spec(
      'deployment.json',
      JSON.stringify({ type: 'ExistingCloud', creds: { openstack: { auth_url: 'http://k/v3', admin: { username: 'admin', password: 'secret', tenant_name: 'admin' } } } }),
    );
    expect(loadRallySpec(withCreds).admin).toEqual(ADMIN);
    const older = spec(
      'old.yaml',
      'type: ExistingCloud\nauth_url: http://k/v3\nendpoint: null\nadmin:\n  username: admin\n  password: secret\n  tenant_name: admin\nextra: {}\n',
    );
    expect(loadRallySpec(older).admin).toEqual(ADMIN);
    expect(failure(spec('docker.json', '{"type": "DevstackEngine"}')).message).toContain("deployment type 'DevstackEngine' does not exist");
  });

  it('points at an unknown key and says what is allowed', () => {
    const file = spec('env.yaml', 'openstack:\n  auth_url: http://k/v3\n  admin:\n    username: admin\n    password: secret\n    project_name: admin\n    role: admin\n');
    const error = failure(file);
    expect(error.format()).toBe(
      `${file}:7:5: openstack.admin.role: unknown key 'role' in a user\n  allowed: username, password, project_name, tenant_name, domain_name, user_domain_name, project_domain_name`,
    );
  });

  it('names what a user lacks, and where', () => {
    const file = spec('env.yaml', 'openstack:\n  auth_url: http://k/v3\n  users:\n    - {username: u, password: p, project_name: q}\n    - username: v\n');
    const error = failure(file);
    expect(error.message).toBe('user is missing password, project_name (or tenant_name)');
    expect(error.location).toEqual({ file, line: 5, column: 7 });
    expect(error.path).toEqual(['openstack', 'users', 1]);
  });

  it('checks auth_url, admin/users, endpoint_type, https_insecure and the platform key', () => {
    expect(failure(spec('a.yaml', 'openstack:\n  admin: {username: u, password: p, project_name: q}\n')).message).toBe('auth_url is missing');
    expect(failure(spec('b.yaml', 'openstack:\n  auth_url: http://k/v3\n')).message).toBe('the openstack spec needs "admin" or "users" (or both)');
    expect(failure(spec('c.yaml', 'openstack:\n  auth_url: http://k/v3\n  endpoint_type: publicURL\n  admin: {username: u, password: p, project_name: q}\n')).message).toBe(
      'endpoint_type must be public, internal, admin or null (got "publicURL")',
    );
    expect(failure(spec('d.yaml', 'openstack:\n  auth_url: http://k/v3\n  https_insecure: "yes"\n  admin: {username: u, password: p, project_name: q}\n')).location).toMatchObject({ line: 3 });
    expect(failure(spec('e.yaml', 'docker: {}\n')).message).toContain("platform 'docker' is not supported");
    expect(failure(spec('f.yaml', '{}\n')).message).toContain('has no OpenStack platform');
    expect(failure(spec('g.yaml', '')).message).toBe('the Rally spec file is empty');
    expect(failure(spec('h.yaml', 'openstack:\n  auth_url: http://k:5000/v2.0\n  admin: {username: u, password: p, project_name: q}\n')).message).toContain('Keystone v2.0');
    expect(failure(join(dir, 'missing.yaml')).message).toBe('cannot read credentials file: no such file');
  });
});
