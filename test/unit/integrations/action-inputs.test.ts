import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_CLOUD_NAME, prepareCloud } from '../../../src/action/credentials.js';
import { getActionSettings, secretValues } from '../../../src/action/input-helper.js';
import { InputError } from '../../../src/common/errors.js';

const reader = (inputs: Record<string, string>) => (name: string) => (inputs[name] ?? '').trim();

describe('action inputs -> ActionSettings', () => {
  it('defaults match action.yml', () => {
    expect(getActionSettings(reader({}))).toEqual({
      mode: 'run',
      taskFiles: [],
      outDir: 'rally-gate-results',
      storeBaseline: true,
      fingerprint: {},
      cloud: { values: {} },
      comment: 'update',
      commentKey: 'default',
      commentAuthors: [],
      artifactPath: 'rally-gate-results',
      failOnVerdict: true,
    });
  });

  it('reads lists, stores, facts and booleans', () => {
    const s = getActionSettings(reader({ tasks: 'a.yaml\nb.yaml, c.yaml', 'baseline-git-remote': 'https://git.example/r.git', fingerprint: 'flavor=m1.tiny\nzone=a', 'store-baseline': 'false', comment: 'artifact' }));
    expect(s.taskFiles).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
    expect(s.store).toEqual({ type: 'git', remote: 'https://git.example/r.git', branch: 'rally-gate-baselines', path: '' });
    expect(s.fingerprint).toEqual({ flavor: 'm1.tiny', zone: 'a' });
    expect(s.storeBaseline).toBe(false);
    expect(s.comment).toBe('artifact');
  });

  it('reads the deployment file and the verification choice', () => {
    expect(getActionSettings(reader({})).verify).toBeUndefined();
    expect(getActionSettings(reader({ verify: 'auto' })).verify).toBeUndefined();
    expect(getActionSettings(reader({ verify: 'false' })).verify).toBe(false);
    expect(getActionSettings(reader({ verify: 'true' })).verify).toBe(true);
    const s = getActionSettings(reader({ verify: 'rally-jobs/verify.yaml', deployment: 'rally-jobs/nodes.yaml' }));
    expect(s.verify).toBe('rally-jobs/verify.yaml');
    expect(s.deploymentFile).toBe('rally-jobs/nodes.yaml');
  });

  it('names the input that is wrong', () => {
    expect(() => getActionSettings(reader({ comment: 'always' }))).toThrow(/input "comment": expected one of update, off, artifact/);
    expect(() => getActionSettings(reader({ 'fail-on-verdict': 'maybe' }))).toThrow(InputError);
    expect(() => getActionSettings(reader({ 'baseline-directory': 'd', 'baseline-url': 'https://x' }))).toThrow(/at most one baseline store/);
    expect(() => getActionSettings(reader({ 'os-username': 'u' }))).toThrow(/os-auth-url/);
    expect(() => getActionSettings(reader({ fingerprint: 'novalue' }))).toThrow(/input "fingerprint" takes KEY=VALUE/);
  });

  it('collects the secrets to mask', () => {
    const s = getActionSettings(reader({ 'github-token': 'tok', 'os-auth-url': 'http://k:5000/v3', 'os-password': 'pw' }));
    expect(secretValues(s)).toEqual(['tok', 'pw']);
  });
});

describe('cloud credentials from inputs', () => {
  it('OS_* values become a private clouds.yaml, removed afterwards', async () => {
    const s = getActionSettings(reader({ 'os-auth-url': 'http://127.0.0.1:5000/v3', 'os-username': 'admin', 'os-password': 's3cret', 'os-project-name': 'admin', 'os-region-name': 'RegionOne' }));
    const cloud = await prepareCloud(s.cloud, mkdtempSync(join(tmpdir(), 'rally-gate-cred-')));
    const file = cloud.env['OS_CLIENT_CONFIG_FILE']!;
    expect(cloud.options).toEqual({ 'os-cloud': ACTION_CLOUD_NAME, 'os-region-name': 'RegionOne' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain('password: s3cret');
    expect(cloud.secrets).toEqual(['s3cret']);
    await cloud.dispose();
    expect(existsSync(file)).toBe(false);
  });

  it('a clouds.yaml secret: every secret inside is masked; bad YAML is an error that does not quote it', async () => {
    const yaml = 'clouds:\n  c1:\n    auth: {auth_url: "http://k", password: "p1", application_credential_secret: "p2"}\n';
    const cloud = await prepareCloud(getActionSettings(reader({ 'clouds-yaml': yaml, cloud: 'c1' })).cloud);
    expect(cloud.secrets).toEqual([yaml.trim(), 'p1', 'p2']);
    expect(cloud.options).toEqual({ 'os-cloud': 'c1' });
    await cloud.dispose();
    const bad = getActionSettings(reader({ 'clouds-yaml': 'clouds: [password: "hunter2"' })).cloud;
    const error = await prepareCloud(bad).catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
