/** What may be printed of a credential, and where credentials come from when several sources exist. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialSecrets, describeCredential, redactCredential, redactSecrets, resolveCredential } from '../../../src/cloud/index.js';
import type { CloudCredential } from '../../../src/cloud/index.js';

const CREDENTIAL: CloudCredential = {
  authUrl: 'http://127.0.0.1:5000/v3',
  interface: 'public',
  regionName: 'RegionOne',
  tls: { insecure: false },
  apiInfo: {},
  admin: { method: 'password', user: { name: 'admin', domainName: 'Default' }, password: 'p@ss w"rd', scope: { kind: 'project', name: 'admin', domainName: 'Default' } },
  users: [
    { method: 'token', token: 'gAAAAtoken' },
    { method: 'application_credential', id: 'ac1', secret: 'app-secret' },
  ],
  origin: 'test',
};

describe('describe and redact', () => {
  it('describes the cloud by auth URL, user, project and region only', () => {
    expect(describeCredential(CREDENTIAL)).toBe(
      'http://127.0.0.1:5000/v3 as user admin (domain Default), project admin (domain Default), region RegionOne, public endpoints',
    );
    expect(describeCredential({ ...CREDENTIAL, admin: undefined })).toBe(
      'http://127.0.0.1:5000/v3 as 2 existing user(s), the first: token, unscoped, region RegionOne, public endpoints',
    );
  });

  it('redacts every secret of a credential copy', () => {
    const redacted = JSON.stringify(redactCredential(CREDENTIAL));
    for (const secret of credentialSecrets(CREDENTIAL)) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('***');
    expect(CREDENTIAL.admin).toMatchObject({ password: 'p@ss w"rd' });
    expect(credentialSecrets(CREDENTIAL)).toEqual(['p@ss w"rd', 'gAAAAtoken', 'app-secret']);
  });

  it('redacts secrets in any text, also URL-encoded and JSON-escaped', () => {
    const secrets = credentialSecrets(CREDENTIAL);
    const text = `password=p%40ss%20w%22rd body {"password": "p@ss w\\"rd"} raw p@ss w"rd token gAAAAtoken`;
    expect(redactSecrets(text, secrets)).toBe('password=*** body {"password": "***"} raw *** token ***');
    expect(redactSecrets('abcdef', ['abc', 'abcdef'])).toBe('***');
    expect(redactSecrets('nothing here', ['', 'zzz'])).toBe('nothing here');
  });
});

describe('resolveCredential', () => {
  let dir: string;
  const cloudsYaml = (region: string) => `clouds:\n  c:\n    auth: {auth_url: "http://yaml/v3", username: u, password: p, project_name: q}\n    region_name: ${region}\n`;
  const openrc = { OS_AUTH_URL: 'http://env/v3', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'q' };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rally-gate-resolve-'));
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'clouds.yaml'), cloudsYaml('R1'));
    writeFileSync(join(dir, 'spec.yaml'), 'openstack:\n  auth_url: http://spec/v3\n  admin: {username: u, password: p, project_name: q}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const resolve = (options: Parameters<typeof resolveCredential>[0]) =>
    resolveCredential({ cwd: dir, homeDir: join(dir, 'home'), systemDir: join(dir, 'etc-openstack'), ...options, env: { XDG_CONFIG_DIRS: join(dir, 'none'), ...options?.env } });

  it('a spec file first, then --os-cloud/OS_CLOUD, then OS_* variables, then the only cloud of clouds.yaml', () => {
    expect(resolve({ specFile: join(dir, 'spec.yaml'), cloud: 'c', env: openrc }).authUrl).toBe('http://spec/v3');
    expect(resolve({ cloud: 'c', env: openrc }).authUrl).toBe('http://yaml/v3');
    expect(resolve({ env: { ...openrc, OS_CLOUD: 'c' } }).authUrl).toBe('http://yaml/v3');
    expect(resolve({ env: openrc }).authUrl).toBe('http://env/v3');
    expect(resolve({}).authUrl).toBe('http://yaml/v3');
  });

  it('the region option selects or overrides the region of every source', () => {
    writeFileSync(join(dir, 'clouds.yaml'), cloudsYaml('"R1,R2"'));
    expect(resolve({ cloud: 'c', regionName: 'R2' }).regionName).toBe('R2');
    expect(resolve({ cloud: 'c', env: { OS_REGION_NAME: 'R2' } }).regionName).toBe('R2');
    expect(resolve({ env: openrc, regionName: 'X' }).regionName).toBe('X');
    expect(resolve({ specFile: join(dir, 'spec.yaml'), regionName: 'Y' }).regionName).toBe('Y');
  });

  it('says how to give credentials when there are none', () => {
    rmSync(join(dir, 'clouds.yaml'));
    expect(() => resolve({})).toThrow('no OpenStack credentials given');
  });
});
