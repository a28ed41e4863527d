/**
 * The built GitHub Action (node dist/index.js) as a runner starts it: INPUT_* variables, a
 * pull_request event file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_API_URL pointing at a
 * local server that answers like GitHub. A real gate run (Dummy task) each time; only GitHub is fake.
 * Needs dist/ (npm run build:action; scripts/check-dist.sh checks it is fresh).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_TOKEN, startFakeGitHub, WRITE_TOKEN, type FakeGitHub } from '../unit/integrations/github/fake-github.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'rally-gate-action-'));
// Run a copy of dist/ away from the repository, as a runner does: no node_modules to fall back on.
const action = join(work, 'action/dist/index.js');
const PR = 'acme/cloud#7';
const HEAD_SHA = 'c0ffee0000000000000000000000000000000001';
const INJECTED = '<script>alert(1)</script> | `rm -rf /` @octocat [x](https://evil.example) :smile:';
let github: FakeGitHub;

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** GITHUB_OUTPUT's format: `name<<DELIMITER\nvalue\nDELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

let runCount = 0;
function runAction(inputs: Record<string, string>, event: object, eventName = 'pull_request'): Promise<ActionRun> {
  const n = ++runCount;
  const eventFile = join(work, `event-${n}.json`);
  const outputFile = join(work, `output-${n}.txt`);
  const summaryFile = join(work, `summary-${n}.md`);
  writeFileSync(eventFile, JSON.stringify(event));
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // a runner's environment, nothing leaking in from the host's own CI
  const host = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|INPUT_|RUNNER_|ZUUL_|JENKINS_URL|GIT_BRANCH|CHANGE_ID|OS_)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...host,
    NO_COLOR: '1',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: 'acme/cloud',
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: String(4242 + n),
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_SHA: HEAD_SHA,
    GITHUB_HEAD_REF: 'feature',
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [action], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) =>
      done({ code, stdout, stderr, outputs: parseOutputs(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') }),
    );
  });
}

const prEvent = { pull_request: { number: 7, head: { sha: HEAD_SHA, repo: { full_name: 'contributor/cloud' } }, base: { repo: { full_name: 'acme/cloud' } } } };
const gateInputs = { tasks: 'rally-jobs/perf.yaml', 'results-dir': 'results', 'github-token': WRITE_TOKEN };
const ourComments = () => (github.comments.get(PR) ?? []).filter((c) => c.body.includes('<!-- rally-gate:comment key=default -->') && c.user.type === 'Bot');

beforeAll(async () => {
  expect(existsSync(join(root, 'dist/index.js')), 'dist/index.js is missing: npm run build:action').toBe(true);
  cpSync(join(root, 'dist'), join(work, 'action/dist'), { recursive: true });
  github = await startFakeGitHub();
  // 100 comments already: per_page=100, so the gate's comment will be on page 2
  for (let i = 0; i < 99; i++) github.addComment(PR, `LGTM ${i}`);
  // someone typed our marker: never "ours" (not a bot), never updated
  github.addComment(PR, 'quoting <!-- rally-gate:comment key=default --> here', { login: 'mallory', type: 'User' });
  github.pulls.set(PR, { head: { sha: HEAD_SHA, ref: 'feature', repo: { full_name: 'contributor/cloud' } } });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(work, 'rally-jobs'));
  writeFileSync(
    join(work, 'rally-jobs/perf.yaml'),
    `version: 2
title: action test
subtasks:
  - title: quick
    workloads:
      - scenario:
          Dummy.dummy: {sleep: 0.001}
        runner:
          constant: {times: 12, concurrency: 3}
  - title: "${INJECTED.replace(/"/g, '\\"')}"
    workloads:
      - scenario:
          Dummy.dummy_exception:
            message: "${INJECTED}\\n::set-output name=verdict::passed"
        runner:
          constant: {times: 3, concurrency: 1}
`,
  );
});

afterAll(async () => {
  await github?.close();
});

describe('the GitHub Action (dist/index.js)', () => {
  it('creates the PR comment once, then updates it in place (on page 2), with escaped input, outputs, summary and annotations', async () => {
    const first = await runAction(gateInputs, prEvent);
    // only in the runner's masking command, which the runner consumes
    expect(first.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(WRITE_TOKEN);
    expect(first.code, first.stdout + first.stderr).toBe(1); // the failing workload fails its SLA
    expect(ourComments()).toHaveLength(1);
    const created = ourComments()[0]!;
    expect(github.comments.get(PR)!.indexOf(created)).toBe(100); // the 101st: page 2
    expect(first.outputs['comment-id']).toBe(String(created.id));
    expect(first.outputs['verdict']).toBe('failed');
    expect(first.outputs['exit-code']).toBe('1');
    expect(first.outputs['sla-failures']).toBe('1');
    expect(first.outputs['workloads']).toBe('2');
    expect(first.outputs['junit-path']).toBe(join(work, 'results/junit.xml'));
    expect(existsSync(first.outputs['html-path']!)).toBe(true);

    // input in the comment cannot inject markup, links, mentions or emoji
    const body = created.body;
    expect(body.startsWith('<!-- rally-gate:comment key=default -->\n')).toBe(true);
    expect(body).toContain(':x: **rally-gate: failed**');
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('@octocat');
    expect(body).not.toContain('](https://evil.example)');
    expect(body).not.toMatch(/(^|[^\\])`/m); // no code spans from input
    expect(body).not.toMatch(/(^|[^\\])\| `?\\?`?rm/m); // the | stays inside its cell
    expect(body).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| \\`rm \\-rf /\\` &#64;octocat');
    expect(body).toContain('Iteration errors');
    expect(body).toContain('3 of 3 iterations failed');
    expect(body).toContain('Full reports (report.html, junit.xml, task.json): the results artifact of the [workflow run](https://github.example/acme/cloud/actions/runs/4243)');
    expect(first.summary).toBe(`${body.replace(/^<!-- rally-gate:comment key=default -->\n/, '')}\n`);

    // the task's error message is printed, but cannot act as a workflow command
    const stop = /^::stop-commands::(\w+)$/m.exec(first.stdout);
    expect(stop).not.toBeNull();
    const guarded = first.stdout.slice(stop!.index, first.stdout.indexOf(`::${stop![1]}::`));
    expect(guarded).toContain('::set-output name=verdict::passed');
    // the failing workload is annotated at its line in the task file (line 12: its scenario)
    expect(first.stdout).toMatch(/^::error title=rally-gate%3A SLA failure_rate failed,file=rally-jobs\/perf\.yaml,line=12,col=9::Dummy\.dummy_exception\[0\]/m);

    const second = await runAction(gateInputs, prEvent);
    expect(second.code).toBe(1);
    expect(ourComments()).toHaveLength(1); // never a second one
    expect(ourComments()[0]!.id).toBe(created.id);
    expect(second.outputs['comment-id']).toBe(String(created.id));
    expect(github.log.filter((l) => l.startsWith('PATCH'))).toEqual([`PATCH /repos/acme/cloud/issues/comments/${created.id}`]);
    expect(github.log.filter((l) => l.startsWith('POST'))).toHaveLength(1);
    // the decoy with our marker, written by a person, was left alone
    expect(github.comments.get(PR)!.find((c) => c.user.login === 'mallory')!.body).toBe('quoting <!-- rally-gate:comment key=default --> here');
    expect(github.log).toContain('GET /repos/acme/cloud/issues/7/comments?per_page=100&page=2');
  }, 60_000);

  it('with a read-only token (fork PR): warns about the two-step mode, exits by the verdict, writes outputs', async () => {
    const before = github.log.length;
    const run = await runAction({ ...gateInputs, 'github-token': READ_ONLY_TOKEN }, prEvent);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::warning::rally-gate: the token cannot write to this pull request .*two-step mode.*403 Resource not accessible by integration/m);
    expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(READ_ONLY_TOKEN);
    expect(run.outputs['verdict']).toBe('failed');
    expect(run.outputs['comment-id']).toBe('');
    expect(ourComments()).toHaveLength(1);
    expect(github.log.slice(before).some((l) => l.startsWith('PATCH'))).toBe(true); // it tried, GitHub said no
  }, 60_000);

  it('two-step mode: the PR run leaves the comment as an artifact, a workflow_run step posts it after checking the PR', async () => {
    const pr = await runAction({ ...gateInputs, 'github-token': READ_ONLY_TOKEN, comment: 'artifact', 'results-dir': 'artifact' }, prEvent);
    expect(pr.code).toBe(1);
    const meta = JSON.parse(readFileSync(join(work, 'artifact/github-comment.json'), 'utf8'));
    expect(meta).toMatchObject({ format: 1, repository: 'acme/cloud', pullRequest: 7, headSha: HEAD_SHA, passed: false, exitCode: 1 });
    // a PR's own code wrote the artifact: a mention smuggled into it is neutralised by the poster
    writeFileSync(join(work, 'artifact/github-comment.md'), `${readFileSync(join(work, 'artifact/github-comment.md'), 'utf8')}\ncc @admin\n`);

    const workflowRun = (headSha: string) => ({ workflow_run: { id: 99, head_sha: headSha, event: 'pull_request', conclusion: 'failure', pull_requests: [] } });
    const stale = await runAction({ mode: 'post-comment', 'artifact-path': 'artifact', 'github-token': WRITE_TOKEN }, workflowRun('0'.repeat(40)), 'workflow_run');
    expect(stale.code).toBe(0);
    expect(stale.stdout).toMatch(/::warning::rally-gate: PR #7 is at c0ffee000000, the run measured 000000000000.*nothing posted/);
    expect(stale.outputs['comment-id']).toBeUndefined();

    const post = await runAction({ mode: 'post-comment', 'artifact-path': 'artifact', 'github-token': WRITE_TOKEN }, workflowRun(HEAD_SHA), 'workflow_run');
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(ourComments()).toHaveLength(1);
    expect(post.outputs['comment-id']).toBe(String(ourComments()[0]!.id));
    expect(ourComments()[0]!.body).toContain('cc &#64;admin');
  }, 60_000);

  it('exits 2 with the input named when an input is invalid', async () => {
    const run = await runAction({ ...gateInputs, comment: 'sometimes' }, prEvent);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/::error::rally-gate: invalid input: input "comment": expected one of update, off, artifact/);
  });
});
