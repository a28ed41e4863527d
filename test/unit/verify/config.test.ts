/** tempest.conf from cloud facts, the selection arguments, and the settings files (errors with file:line). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { errorLines, exactTestRegex, selectionArgs } from '../../../src/verify/run.js';
import { loadTestList, loadTestReasons, loadVerificationSettings } from '../../../src/verify/settings.js';
import { buildTempestConfig, renderIni, serviceAvailable, type CloudFacts } from '../../../src/verify/tempest-config.js';

const facts: CloudFacts = {
  identityUri: 'http://127.0.0.1:5000/v3',
  region: 'RegionOne',
  interface: 'public',
  insecure: false,
  admin: { username: 'admin', password: 's3cr3t-pw', projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default' },
  serviceTypes: ['block-storage', 'compute', 'identity', 'image', 'network', 'placement', 'volumev3'],
  volumeCatalogType: 'block-storage',
  networkExtensions: ['router', 'security-group'],
  hasSharedNetworks: true,
};

function ini(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) out.set((section = header[1]!), new Map());
    const option = /^(\S+) = (.*)$/.exec(line);
    if (option) out.get(section)!.set(option[1]!, option[2]!);
  }
  return out;
}

describe('buildTempestConfig', () => {
  it('writes identity, admin, services, resources and extensions from the facts; overrides win', () => {
    const sections = buildTempestConfig(
      facts,
      { imageId: 'img-1', flavorId: 'fl-1', flavorAltId: 'fl-2', networkName: 'rally-gate-verify-net-x' },
      { logDir: '/w/logs', lockDir: '/w/lock' },
      { 'compute-feature-enabled': { resize: 'false' }, identity: { region: 'Other' } },
    );
    const conf = ini(renderIni(sections));
    expect(conf.get('identity')).toEqual(
      new Map([
        ['auth_version', 'v3'],
        ['uri_v3', 'http://127.0.0.1:5000/v3'],
        ['region', 'Other'],
        ['v3_endpoint_type', 'public'],
        ['disable_ssl_certificate_validation', 'false'],
      ]),
    );
    expect(conf.get('auth')?.get('admin_password')).toBe('s3cr3t-pw');
    expect(conf.get('service_available')).toEqual(
      new Map([
        ['nova', 'true'],
        ['glance', 'true'],
        ['neutron', 'true'],
        ['cinder', 'true'],
        ['swift', 'false'],
        ['heat', 'false'],
        ['ironic', 'false'],
        ['sahara', 'false'],
        ['horizon', 'false'],
      ]),
    );
    expect(conf.get('compute')?.get('image_ref')).toBe('img-1');
    expect(conf.get('compute')?.get('flavor_ref_alt')).toBe('fl-2');
    expect(conf.get('compute')?.get('fixed_network_name')).toBe('rally-gate-verify-net-x');
    expect(conf.get('compute')?.get('endpoint_type')).toBe('public');
    expect(conf.get('volume')?.get('catalog_type')).toBe('block-storage');
    expect(conf.get('network-feature-enabled')?.get('api_extensions')).toBe('router,security-group');
    expect(conf.get('compute-feature-enabled')?.get('resize')).toBe('false');
    expect(conf.get('validation')?.get('run_validation')).toBe('false');
    expect([...conf.keys()][0]).toBe('DEFAULT');
  });

  it('masks secrets in the copy for the results', () => {
    const text = renderIni(buildTempestConfig(facts, {}, { logDir: '/l', lockDir: '/k' }), { mask: true });
    expect(text).toContain('admin_password = ***');
    expect(text).not.toContain('s3cr3t-pw');
  });

  it('says which services are available by catalog type', () => {
    expect(serviceAvailable(['identity', 'object-store', 'volumev3'])).toMatchObject({ swift: true, cinder: true, nova: false });
  });
});

describe('selection', () => {
  it('maps Rally-like sets and patterns to tempest run arguments', () => {
    expect(selectionArgs({ set: 'smoke' })).toEqual(['--smoke']);
    expect(selectionArgs({ set: 'full' })).toEqual([]);
    expect(selectionArgs({ set: 'identity' })).toEqual(['--regex', '^tempest\\.api\\.identity\\.']);
    expect(selectionArgs({ pattern: 'tempest.api.image' })).toEqual(['--regex', 'tempest.api.image']);
    expect(() => selectionArgs({ set: 'identiy' })).toThrow(/unknown test set "identiy"; known sets: full, smoke, scenario, baremetal/);
    expect(() => selectionArgs({ set: 'identity', pattern: 'x' })).toThrow(InputError);
  });

  it('makes exact regexes for skip-list ids, with or without attributes', () => {
    expect(exactTestRegex('a.B.test_c')).toBe('^a\\.B\\.test_c(\\[.*\\])?$');
    expect(exactTestRegex('a.B.test_c[id-1,smoke]')).toBe('^a\\.B\\.test_c\\[id-1,smoke\\]$');
    expect(new RegExp(exactTestRegex('a.B.test_c')).test('a.B.test_c[id-1]')).toBe(true);
    expect(new RegExp(exactTestRegex('a.B.test_c')).test('a.B.test_cd')).toBe(false);
  });

  it('finds the telling lines of a discovery failure', () => {
    const output = [
      '',
      '=========================',
      'Failures during discovery',
      '=========================',
      '--- import errors ---',
      'Failed to import test module: tempest.api.compute.admin.test_create_server',
      'Traceback (most recent call last):',
      '  File "x.py", line 1, in <module>',
      "ValueError: Valid values are [public, admin, internal], but found 'publicURL'",
      'oslo_config.cfg.ArgsAlreadyParsedError: arguments already parsed: cannot register CLI option',
    ].join('\n');
    expect(errorLines(output)).toBe(
      "Failed to import test module: tempest.api.compute.admin.test_create_server\nValueError: Valid values are [public, admin, internal], but found 'publicURL'",
    );
  });
});

describe('settings files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rg-verify-settings-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a verify: mapping with lists inline and in files', () => {
    file('skip.yaml', 'a.B.test_slow: takes an hour\n');
    file('load.txt', '# tests\na.B.test_1\n\na.B.test_2\n');
    const settings = loadVerificationSettings(
      file(
        'verify.yaml',
        [
          'verify:',
          '  set: identity',
          '  concurrency: 2',
          '  skip_list: skip.yaml',
          '  load_list: load.txt',
          '  xfail_list:',
          '    a.B.test_x: "bug 1"',
          '    a.B.test_y:',
          '  overrides:',
          '    compute-feature-enabled: {resize: false, max_microversion: 2.90}',
          '  resource_prefix: ci-verify',
        ].join('\n'),
      ),
    );
    expect(settings).toEqual({
      set: 'identity',
      concurrency: 2,
      skipList: { 'a.B.test_slow': 'takes an hour' },
      loadList: ['a.B.test_1', 'a.B.test_2'],
      xfailList: { 'a.B.test_x': 'bug 1', 'a.B.test_y': '' },
      overrides: { 'compute-feature-enabled': { resize: 'false', max_microversion: '2.9' } },
      resourcePrefix: 'ci-verify',
    });
  });

  it('names the file, line and key of a mistake', () => {
    const path = file('bad.yaml', 'verify:\n  set: identity\n  concurency: 2\n');
    let error: InputError | undefined;
    try {
      loadVerificationSettings(path);
    } catch (err) {
      error = err as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.format()).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:3: verify\\.concurency: unknown verification setting "concurency"`));
    const listError = (() => {
      try {
        loadTestReasons(file('list.yaml', '- a.B.c\n- 3\n'), 'skip list');
      } catch (err) {
        return (err as InputError).format();
      }
      return 'no error';
    })();
    expect(listError).toMatch(/list\.yaml:2:3: \[1\]: expected a test id/);
    expect(() => loadTestList(join(dir, 'missing.txt'))).toThrow(/cannot read the load list: no such file/);
  });
});

describe('rally-jobs/verify.example.yaml', () => {
  it('loads', () => {
    const settings = loadVerificationSettings(join(import.meta.dirname, '../../../rally-jobs/verify.example.yaml'));
    expect(settings.set).toBe('identity');
    expect(Object.keys(settings.xfailList ?? {})).toHaveLength(1);
    expect(settings.overrides?.['compute-feature-enabled']?.['resize']).toBe('false');
    expect(() => selectionArgs(settings)).not.toThrow();
  });
});
