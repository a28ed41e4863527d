import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubApi, GitHubApiError, nextPageUrl } from '../../../../src/integrations/github/api.js';
import { commentMarker, MAX_COMMENT_LENGTH, sanitizeUntrustedBody, truncateComment, upsertGateComment, withMarker } from '../../../../src/integrations/github/comment.js';
import { READ_ONLY_TOKEN, startFakeGitHub, WRITE_TOKEN, type FakeGitHub } from './fake-github.js';

const repo = { owner: 'acme', repo: 'cloud' };
let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());

describe('Link header', () => {
  it('finds rel="next" among several relations, and none on the last page', () => {
    expect(nextPageUrl('<https://api.example/x?page=3>; rel="next", <https://api.example/x?page=9>; rel="last"')).toBe('https://api.example/x?page=3');
    expect(nextPageUrl('<https://api.example/x?page=1>; rel="first", <https://api.example/x?page=8>; rel="prev"')).toBeUndefined();
    expect(nextPageUrl(null)).toBeUndefined();
  });
});

describe('upsertGateComment against a GitHub-like server', () => {
  it('lists every page, creates once, then updates the same comment; keys keep separate comments', async () => {
    for (let i = 0; i < 7; i++) github.addComment('acme/cloud#1', `comment ${i}`);
    const api = new GitHubApi({ apiUrl: github.url, token: WRITE_TOKEN });
    let seen = 0;
    for await (const _ of api.issueComments(repo, 1, 3)) seen++;
    expect(seen).toBe(7); // pages of 3, 3, 1

    const first = await upsertGateComment(api, { repo, issueNumber: 1 }, 'one');
    const second = await upsertGateComment(api, { repo, issueNumber: 1 }, 'two');
    const other = await upsertGateComment(api, { repo, issueNumber: 1 }, 'cloud B', { key: 'cloud-b' });
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(other.action).toBe('created');
    const bodies = github.comments.get('acme/cloud#1')!.map((c) => c.body);
    expect(bodies.filter((b) => b.includes(commentMarker()))).toEqual([`${commentMarker()}\ntwo`]);
    expect(bodies.filter((b) => b.includes(commentMarker('cloud-b')))).toHaveLength(1);
  });

  it('a read-only token gets a GitHubApiError that says so, with method, URL, status and request id, never the token', async () => {
    const api = new GitHubApi({ apiUrl: github.url, token: READ_ONLY_TOKEN });
    const error = await upsertGateComment(api, { repo, issueNumber: 2 }, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    const e = error as GitHubApiError;
    expect(e.isReadOnlyToken).toBe(true);
    expect(e.message).toMatch(/^GitHub API POST http:\/\/127\.0\.0\.1:\d+\/repos\/acme\/cloud\/issues\/2\/comments failed: 403 Resource not accessible by integration \(request id FAKE:\d+\)$/);
    expect(e.message).not.toContain(READ_ONLY_TOKEN);
  });

  it('an unreachable API is an error naming the URL', async () => {
    const api = new GitHubApi({ apiUrl: 'http://127.0.0.1:9', token: WRITE_TOKEN, timeoutMs: 2000 });
    await expect(api.pullRequest(repo, 1)).rejects.toThrow(/GitHub API GET http:\/\/127\.0\.0\.1:9\/repos\/acme\/cloud\/pulls\/1 failed: 0 no answer/);
  });
});

describe('comment bodies', () => {
  it('keys cannot close the HTML comment', () => {
    expect(commentMarker('a --> <b>')).toBe('<!-- rally-gate:comment key=a_-_b_ -->');
  });

  it('keeps exactly one marker, ours', () => {
    const body = withMarker('<!-- rally-gate:comment key=other -->\ntext', commentMarker());
    expect(body).toBe(`${commentMarker()}\n\ntext`);
  });

  it('an untrusted artifact body loses mentions and markers', () => {
    expect(sanitizeUntrustedBody('hi @admin and @org/team <!-- rally-gate:comment key=x -->, mail a@b')).toBe('hi &#64;admin and &#64;org/team , mail a&#64;b');
  });

  it('cuts to GitHub\'s limit and closes an open details block', () => {
    const long = `<details><summary>x</summary>\n${'y'.repeat(MAX_COMMENT_LENGTH * 2)}\n</details>`;
    const cut = truncateComment(long);
    expect(cut.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(cut).toMatch(/truncated[\s\S]*<\/details>\n$/);
  });
});
