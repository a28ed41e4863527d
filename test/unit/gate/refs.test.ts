import { describe, expect, it } from 'vitest';
import { detectOrigin, guardedWrite, overrideOrigin, trustDecision, UntrustedWriteError } from '../../../src/gate/refs.js';

const policy = { branches: ['main', 'master'], events: ['push', 'schedule'] };

describe('run origin and trust', () => {
  it('GitHub: pushes to main are trusted, pull requests never (even from a branch called main)', () => {
    const push = detectOrigin({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'abc' });
    expect(push).toMatchObject({ branch: 'main', event: 'push', commit: 'abc', pullRequest: false });
    expect(trustDecision(push, policy).trusted).toBe(true);
    const pr = detectOrigin({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge', GITHUB_HEAD_REF: 'main' });
    expect(pr.pullRequest).toBe(true);
    expect(trustDecision(pr, policy)).toMatchObject({ trusted: false, reason: expect.stringContaining('pull request') });
    const target = detectOrigin({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main' });
    expect(trustDecision(target, policy).trusted).toBe(false);
    const schedule = detectOrigin({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main' });
    expect(trustDecision(schedule, policy).trusted).toBe(true);
    const feature = detectOrigin({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/feature' });
    expect(trustDecision(feature, policy)).toMatchObject({ trusted: false, reason: expect.stringContaining('"feature" is not trusted') });
  });

  it('Zuul: check/gate pipelines test changes; post and periodic run merged code', () => {
    expect(trustDecision(detectOrigin({ ZUUL_PIPELINE: 'check', ZUUL_BRANCH: 'master', ZUUL_CHANGE: '123' }), policy).trusted).toBe(false);
    expect(trustDecision(detectOrigin({ ZUUL_PIPELINE: 'gate', ZUUL_BRANCH: 'master' }), policy).trusted).toBe(false);
    expect(trustDecision(detectOrigin({ ZUUL_PIPELINE: 'post', ZUUL_BRANCH: 'master', ZUUL_NEWREV: 'def' }), policy).trusted).toBe(true);
    expect(detectOrigin({ ZUUL_PIPELINE: 'periodic', ZUUL_BRANCH: 'master' }).event).toBe('schedule');
  });

  it('Jenkins: GIT_BRANCH, and CHANGE_ID for pull requests', () => {
    expect(detectOrigin({ JENKINS_URL: 'x', GIT_BRANCH: 'origin/main', GIT_COMMIT: 'f00' })).toMatchObject({ branch: 'main', event: 'push', commit: 'f00' });
    expect(trustDecision(detectOrigin({ JENKINS_URL: 'x', GIT_BRANCH: 'origin/main', CHANGE_ID: '5' }), policy).trusted).toBe(false);
  });

  it('explicit flags override what was detected; unknown origins are not trusted', () => {
    const detected = detectOrigin({});
    expect(trustDecision(detected, policy).trusted).toBe(false);
    expect(trustDecision(overrideOrigin(detected, { event: 'push', branch: 'main' }), policy).trusted).toBe(true);
    const pr = detectOrigin({ GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
    expect(trustDecision(overrideOrigin(pr, { branch: 'main' }), policy).trusted).toBe(false);
  });

  it('guardedWrite never calls the writer for an untrusted run', async () => {
    let writes = 0;
    const write = async () => ++writes;
    const pr = overrideOrigin(detectOrigin({}), { event: 'pull_request', branch: 'main' });
    await expect(guardedWrite(pr, policy, write)).rejects.toBeInstanceOf(UntrustedWriteError);
    expect(writes).toBe(0);
    await expect(guardedWrite(overrideOrigin(detectOrigin({}), { event: 'push', branch: 'main' }), policy, write)).resolves.toBe(1);
  });
});
