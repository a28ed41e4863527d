import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/common/errors.js';
import { activeWaivers, defaultTaskFiles, loadSettings, thresholdsFor } from '../../../src/gate/settings.js';

function settingsFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rg-settings-')), 'gate.yaml');
  writeFileSync(file, text);
  return file;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('gate settings', () => {
  it('loads the project example (rally-jobs/gate.yaml)', () => {
    const settings = loadSettings('rally-jobs/gate.yaml');
    expect(settings.tasks).toEqual([{ file: 'rally-jobs/self-test.yaml', args: '{"scale":1}' }]);
    expect(settings.store).toEqual({ type: 'directory', path: '.rally-gate/baselines' });
    expect(settings.defaults.regressionPercent).toBe(15);
    expect(settings.trusted.branches).toContain('main');
  });

  it('applies defaults, then per-workload and per-action overrides in file order', () => {
    const settings = loadSettings(
      settingsFile(`version: 1
tasks: [rally-jobs/self-test.yaml]
thresholds: {regression: 20, min_samples: 5}
overrides:
  - match: {scenario: KeystoneBasic.create_user}
    regression: 30
    actions:
      keystone_v3.create_user: {regression: 50}
      keystone_v3.list_roles: {ignore: true}
  - match: {workload: 0123abcd}
    confidence: 0.99
`),
    );
    const user = { subtask: 's', scenario: 'KeystoneBasic.create_user', hash: '0123abcd'.padEnd(32, 'f') };
    expect(thresholdsFor(settings, user).regressionPercent).toBe(30);
    expect(thresholdsFor(settings, user).confidence).toBe(0.99);
    expect(thresholdsFor(settings, user, 'keystone_v3.create_user').regressionPercent).toBe(50);
    expect(thresholdsFor(settings, user, 'keystone_v3.list_roles').ignore).toBe(true);
    const other = { subtask: 's', scenario: 'Dummy.dummy', hash: 'f'.repeat(32) };
    expect(thresholdsFor(settings, other)).toMatchObject({ regressionPercent: 20, minSamples: 5, confidence: 0.95 });
  });

  it('reports schema errors with file:line:col and the path', () => {
    const file = settingsFile(`version: 1
tasks: [rally-jobs/self-test.yaml]
thresholds:
  regression: -3
  confidnce: 0.9
`);
    const error = inputError(() => loadSettings(file));
    const text = error.format();
    expect(text).toContain(`${file}:4:15: thresholds.regression: must be > 0`);
    expect(text).toContain(`${file}:5:3: thresholds.confidnce: unexpected key "confidnce"`);
  });

  it('names a missing task file and bad YAML by position', () => {
    expect(inputError(() => loadSettings(settingsFile('version: 1\ntasks:\n  - nowhere.yaml\n'))).format()).toMatch(/gate\.yaml:3:5: tasks\[0\]: task file "nowhere.yaml" does not exist/);
    expect(inputError(() => loadSettings(settingsFile('version: 1\ntasks: [a\n'))).format()).toMatch(/gate\.yaml:\d+:\d+: /);
    expect(inputError(() => loadSettings('/no/such/gate.yaml')).format()).toContain('no such file');
  });

  it('separates waivers in force from expired ones', () => {
    const settings = loadSettings(
      settingsFile(`version: 1
tasks: [rally-jobs/self-test.yaml]
waivers:
  - {match: {scenario: A.a}, reason: noisy, expires: "2026-01-31"}
  - {match: {scenario: B.b}, reason: accepted}
`),
    );
    const { active, expired } = activeWaivers(settings, '2026-02-01');
    expect(active.map((w) => w.match.scenario)).toEqual(['B.b']);
    expect(expired.map((w) => w.match.scenario)).toEqual(['A.a']);
    expect(expired[0]!.line).toBe(4);
    expect(activeWaivers(settings, '2026-01-31').active).toHaveLength(2);
  });

  it('by default runs every task file next to the settings except the settings and args files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-jobs-'));
    for (const name of ['a.yaml', 'b.json', 'gate.yaml', 'a_args.yaml', 'notes.txt']) writeFileSync(join(dir, name), '{}');
    expect(defaultTaskFiles(dir, join(dir, 'gate.yaml')).map((f) => f.slice(dir.length + 1))).toEqual(['a.yaml', 'b.json']);
  });
});
