/**
 * `rally-gate verify` against the real dev cloud with Debian's real tempest: identity API tests
 * run and pass, a test on the xfail list is an expected failure, a skip-list test is reported as
 * skipped with its reason, a test made to fail by a wrong tempest.conf option is reported with its
 * reason, and the image, flavors and network made for tempest are gone afterwards.
 *
 * Skipped unless RALLY_GATE_DEV_CLOUD=1. Needs the build (bin/rally-gate.js) and tempest. ~2 min.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCloudsYaml } from '../../src/cloud/index.js';
import { OpenStackCloud, compute, image, network, type OpenStackSession } from '../../src/openstack/index.js';
import type { VerificationResult } from '../../src/verify/types.js';
import { DEV_CLOUD_ENABLED, cli, devCloudEnv, repoRoot } from '../support/dev-cloud.js';

const TEMPEST = existsSync('/usr/bin/tempest');
const CREDENTIALS_TEST = 'tempest.api.identity.admin.v3.test_credentials.CredentialsTestJSON.test_credentials_create_get_update_delete';
const SKIPPED_TEST = 'tempest.api.identity.v3.test_api_discovery.TestApiDiscovery.test_api_version_statuses';

describe.skipIf(!DEV_CLOUD_ENABLED || !TEMPEST)('rally-gate verify against the dev cloud', () => {
  const work = mkdtempSync(join(tmpdir(), 'rg-verify-it-'));
  const prefix = `rgverify-it-${randomBytes(3).toString('hex')}`;
  let cloud: OpenStackCloud;
  let admin: OpenStackSession;

  beforeAll(() => {
    writeFileSync(join(work, 'prefix.yaml'), `resource_prefix: ${prefix}\n`);
    cloud = new OpenStackCloud(loadCloudsYaml({ cloud: 'dev-cloud', env: devCloudEnv }));
    admin = cloud.admin();
  });
  afterAll(async () => {
    await cloud?.close();
  });

  async function leftovers(): Promise<string[]> {
    const names = [
      ...(await image.listImages(admin)).map((i) => i.name ?? ''),
      ...(await compute.listFlavors(admin, { query: { is_public: 'None' } })).map((f) => f.name),
      ...(await network.listNetworks(admin)).map((n) => n.name),
    ];
    return names.filter((name) => name.startsWith(prefix));
  }

  it('runs identity tests: they pass, the xfail-listed one is an expected failure, resources are deleted', { timeout: 240_000 }, async () => {
    const settings = join(work, 'verify.yaml');
    writeFileSync(
      settings,
      [
        'verify:',
        "  pattern: '^tempest\\.api\\.identity\\.(v3\\.(test_tokens|test_catalog|test_api_discovery)|admin\\.v3\\.(test_credentials|test_regions))\\.'",
        '  concurrency: 2',
        `  resource_prefix: ${prefix}`,
        '  xfail_list:',
        `    ${CREDENTIALS_TEST}: "tempest 33 sends project_id and type in a credential PATCH; keystone 22.0.2 refuses it with 400"`,
        '  skip_list:',
        `    ${SKIPPED_TEST}: "skipped by the test's skip list"`,
        '',
      ].join('\n'),
    );
    const run = await cli(['verify', '--os-cloud', 'dev-cloud', '--settings', settings, '--out', join(work, 'pass'), '--no-progress']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created image ${prefix}-image-`);
    expect(run.stdout).toContain(`created flavor ${prefix}-flavor-`);
    expect(run.stdout).toMatch(/verification passed: \d+ tests/);

    const dir = join(work, 'pass', 'verify');
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as VerificationResult;
    const status = (name: string): string[] => result.tests.filter((t) => t.name === name).map((t) => t.status);
    for (const name of ['test_create_token', 'test_validate_token', 'test_token_auth_creation_existence_deletion']) {
      expect(status(`tempest.api.identity.v3.test_tokens.TokensV3Test.${name}`)).toEqual(['success']);
    }
    expect(result.tests.filter((t) => t.className === 'tempest.api.identity.admin.v3.test_regions.RegionsTestJSON' && t.status === 'success').length).toBeGreaterThanOrEqual(3);
    const xfail = result.tests.find((t) => t.name === CREDENTIALS_TEST)!;
    expect(xfail).toMatchObject({ status: 'xfail', reason: expect.stringContaining('keystone 22.0.2 refuses it') });
    expect(xfail.traceback).toContain('BadRequest');
    expect(result.tests.find((t) => t.name === SKIPPED_TEST)).toMatchObject({ status: 'skip', reason: "skipped by the test's skip list", duration: 0 });
    expect(result.totals).toMatchObject({ failures: 0, unexpectedSuccesses: 0, expectedFailures: 1 });
    expect(result.passed).toBe(true);

    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/failures="0"/);
    expect(junit).toContain('name="test_create_token[id-6f8e4436-fc96-4282-8122-e41df57197a9]"');
    const conf = readFileSync(join(dir, 'tempest.conf'), 'utf8');
    expect(conf).toContain('admin_password = ***');
    expect(conf).toMatch(new RegExp(`image_ref = [0-9a-f-]{36}`));
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(':white_check_mark: **passed**');
    expect(readFileSync(join(dir, 'subunit.bin'))[0]).toBe(0xb3);
    expect(await leftovers()).toEqual([]);
  });

  it('reports a test made to fail by a wrong option with its reason, and compares with the passing run', { timeout: 180_000 }, async () => {
    const settings = join(work, 'wrong.yaml');
    writeFileSync(
      settings,
      [
        "pattern: '^tempest\\.api\\.identity\\.v3\\.test_(domains|tokens)\\.'",
        'create_resources: false',
        'overrides:',
        '  identity:',
        '    default_domain_id: rally-gate-no-such-domain',
        '',
      ].join('\n'),
    );
    const previous = join(work, 'pass', 'verify', 'results.json');
    const run = await cli(['verify', '--os-cloud', 'dev-cloud', '--settings', settings, '--out', join(work, 'fail'), '--no-progress', '--compare-with', previous]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL tempest\.api\.identity\.v3\.test_domains\.DefaultDomainTestJSON\.test_default_domain_exists\[[^\]]+\]: tempest\.lib\.exceptions\.Forbidden/);
    expect(run.stdout).toMatch(/verification FAILED: 4 tests, 3 passed, 1 failed/);
    const dir = join(work, 'fail', 'verify');
    const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as VerificationResult;
    const failed = result.tests.filter((t) => t.status === 'fail');
    expect(failed.map((t) => t.name)).toEqual(['tempest.api.identity.v3.test_domains.DefaultDomainTestJSON.test_default_domain_exists']);
    expect(failed[0]!.traceback).toContain('identity:get_domain');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<failure message="tempest\.lib\.exceptions\.Forbidden: Forbidden Details: /);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain(':x: **failed**');
    expect(summary).toContain('**Failing tests**');
    // not in the previous (passing) run's selection: a new test that fails is "newly failing"
    expect(summary).toContain('**Newly failing**');
    expect(readFileSync(join(dir, 'tempest.conf'), 'utf8')).toContain('default_domain_id = rally-gate-no-such-domain');
  });

  it('rally-gate run with a "verify:" section: Tempest first, stored with a trusted baseline, a newly failing test fails a pull request', { timeout: 300_000 }, async () => {
    const task = join(work, 'dummy.yaml');
    writeFileSync(task, ['---', 'Dummy.dummy:', '  - args: {sleep: 0.001}', '    runner: {type: constant, times: 20, concurrency: 2}', ''].join('\n'));
    const store = join(work, 'gate-store');
    const gate = (overrides: string[]): string => {
      const file = join(work, `gate-${overrides.length}.yaml`);
      writeFileSync(
        file,
        [
          'version: 1',
          `tasks: [${JSON.stringify(task)}]`,
          `baseline: {store: {directory: ${JSON.stringify(store)}}}`,
          'verify:',
          "  pattern: '^tempest\\.api\\.identity\\.v3\\.test_(domains|tokens)\\.'",
          '  create_resources: false',
          '  concurrency: 2',
          ...overrides,
          '',
        ].join('\n'),
      );
      return file;
    };
    // The baseline is chosen by git ancestry: both runs measure this checkout's HEAD.
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const trusted = await cli(['run', '--settings', gate([]), '--os-cloud', 'dev-cloud', '--out', join(work, 'gate-main'), '--no-progress', '--store-baseline', '--branch', 'main', '--event', 'push', '--commit', head]);
    expect(trusted.code, trusted.stderr + trusted.stdout).toBe(0);
    expect(trusted.stderr).toMatch(/tempest passed: 4 tests, 4 passed/);
    expect(trusted.stdout).toMatch(/baseline store: stored as/);
    expect(existsSync(join(work, 'gate-main', 'verify', 'results.json'))).toBe(true);

    const pr = await cli(
      ['run', '--settings', gate(['  overrides:', '    identity:', '      default_domain_id: rally-gate-no-such-domain']), '--os-cloud', 'dev-cloud', '--out', join(work, 'gate-pr'), '--no-progress', '--store-baseline', '--branch', 'feature', '--event', 'pull_request', '--commit', head],
    );
    expect(pr.code, pr.stderr + pr.stdout).toBe(1);
    expect(pr.stderr).toMatch(/tempest: FAIL tempest\.api\.identity\.v3\.test_domains\.DefaultDomainTestJSON\.test_default_domain_exists/);
    expect(pr.stdout).toMatch(/baseline store: not stored/);
    expect(pr.stdout).toMatch(/rally-gate: failed: Tempest failed \(1 failing test\)/);
    const summary = readFileSync(join(work, 'gate-pr', 'summary.md'), 'utf8');
    expect(summary).toContain('**Newly failing**');
    expect(summary).toContain('test_default_domain_exists');
    expect(readFileSync(join(work, 'gate-pr', 'junit.xml'), 'utf8')).toMatch(/<testsuite [^>]*name="tempest"/);
  });

  it('Ctrl-C during the run stops tempest and still deletes the resources', { timeout: 180_000 }, async () => {
    const run = await cli(
      ['verify', '--os-cloud', 'dev-cloud', '--set', 'identity', '--concurrency', '1', '--out', join(work, 'interrupted'), '--no-progress', '--settings', join(work, 'prefix.yaml')],
      /running: .*tempest run --subunit/,
      3000,
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('SIGINT: stopping tempest, deleting what was created for it');
    expect(run.stdout).toMatch(new RegExp(`deleted image ${prefix}-image-`));
    expect(await leftovers()).toEqual([]);
  });
});

