/** OS_* variables with `rally env create --from-sysenv` rules, plus token and application credentials. */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { credentialFromEnvironment, hasEnvironmentCredential } from '../../../src/cloud/index.js';

const OPENRC = {
  OS_AUTH_URL: 'http://127.0.0.1:5000/v3',
  OS_IDENTITY_API_VERSION: '3',
  OS_AUTH_TYPE: 'password',
  OS_USERNAME: 'admin',
  OS_PASSWORD: 'secret',
  OS_PROJECT_NAME: 'admin',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
  OS_REGION_NAME: 'RegionOne',
  OS_INTERFACE: 'public',
};

function message(env: NodeJS.ProcessEnv): string {
  try {
    credentialFromEnvironment(env);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('credentialFromEnvironment', () => {
  it("reads the dev cloud's openrc", () => {
    expect(credentialFromEnvironment(OPENRC)).toEqual({
      authUrl: 'http://127.0.0.1:5000/v3',
      interface: 'public',
      regionName: 'RegionOne',
      tls: { insecure: false },
      apiInfo: {},
      admin: {
        method: 'password',
        user: { name: 'admin', domainName: 'Default' },
        password: 'secret',
        scope: { kind: 'project', name: 'admin', domainName: 'Default' },
      },
      users: [],
      origin: 'OS_* environment variables',
    });
    expect(hasEnvironmentCredential(OPENRC)).toBe(true);
    expect(hasEnvironmentCredential({})).toBe(false);
  });

  it('keeps Rally rules: the missing variables, OS_TENANT_NAME, domains default to the default domain', () => {
    expect(message({ OS_AUTH_URL: 'http://k/v3' })).toBe('OS_* environment: the following variable(s) are missing: OS_USERNAME, OS_PASSWORD');
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p' })).toBe(
      'OS_* environment: one of OS_PROJECT_NAME or OS_TENANT_NAME should be specified',
    );
    expect(message({})).toBe('OS_* environment: OS_AUTH_URL is not set');
    const credential = credentialFromEnvironment({ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_PASSWORD: '', OS_TENANT_NAME: 't' });
    expect(credential.admin).toEqual({
      method: 'password',
      user: { name: 'u', domainId: 'default' },
      password: '',
      scope: { kind: 'project', name: 't', domainId: 'default' },
    });
  });

  it('OS_ENDPOINT_TYPE wins over OS_INTERFACE, and "publicURL" means public', () => {
    expect(credentialFromEnvironment({ ...OPENRC, OS_ENDPOINT_TYPE: 'internalURL' }).interface).toBe('internal');
    expect(credentialFromEnvironment({ ...OPENRC, OS_INTERFACE: 'publicURL' }).interface).toBe('public');
    expect(message({ ...OPENRC, OS_INTERFACE: 'private' })).toContain("must be public, internal or admin (got 'private')");
  });

  it('reads TLS variables, OS_INSECURE as oslo does', () => {
    for (const yes of ['1', 'true', 'True', 'yes', 'on', 'y', 't']) expect(credentialFromEnvironment({ ...OPENRC, OS_INSECURE: yes }).tls.insecure).toBe(true);
    for (const no of ['0', 'false', 'no', '', 'maybe']) expect(credentialFromEnvironment({ ...OPENRC, OS_INSECURE: no }).tls.insecure).toBe(false);
    expect(credentialFromEnvironment({ ...OPENRC, OS_CACERT: '/ca.pem', OS_CERT: '/c.pem', OS_KEY: '/k.pem' }).tls).toEqual({
      insecure: false,
      cacert: '/ca.pem',
      cert: '/c.pem',
      key: '/k.pem',
    });
  });

  it('reads project and user ids as Horizon openrc files give them', () => {
    const credential = credentialFromEnvironment({ OS_AUTH_URL: 'http://k/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_ID: 'abc', OS_USER_DOMAIN_NAME: 'Users' });
    expect(credential.admin).toEqual({ method: 'password', user: { name: 'u', domainName: 'Users' }, password: 'p', scope: { kind: 'project', id: 'abc' } });
  });

  it('reads a token and an application credential', () => {
    expect(credentialFromEnvironment({ OS_AUTH_URL: 'http://k/v3', OS_TOKEN: 'gAAAA', OS_PROJECT_ID: 'p1' }).admin).toEqual({
      method: 'token',
      token: 'gAAAA',
      scope: { kind: 'project', id: 'p1' },
    });
    expect(
      credentialFromEnvironment({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'id', OS_APPLICATION_CREDENTIAL_SECRET: 's' }).admin,
    ).toEqual({ method: 'application_credential', id: 'id', secret: 's' });
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'id' })).toBe(
      'OS_* environment: OS_APPLICATION_CREDENTIAL_SECRET is missing',
    );
    expect(message({ OS_AUTH_URL: 'http://k/v3', OS_AUTH_TYPE: 'v3token' })).toBe('OS_* environment: OS_TOKEN is missing');
    expect(message({ ...OPENRC, OS_AUTH_TYPE: 'v3totp' })).toContain("OS_AUTH_TYPE 'v3totp' is not supported; rally-gate supports password, v3password, token, v3token");
  });

  it('refuses Keystone v2.0', () => {
    expect(message({ ...OPENRC, OS_AUTH_URL: 'http://k:5000/v2.0' })).toContain('Keystone v2.0 is not supported');
    expect(message({ ...OPENRC, OS_IDENTITY_API_VERSION: '2' })).toContain('Keystone v2.0 is not supported');
  });
});
