/**
 * `mode: post-comment`, in a workflow_run workflow: posts the comment a fork's pull request run
 * left in its results artifact. It never runs the PR's code; it reads two files, checks that the
 * pull request named in them really is the one the run measured (its head commit is the run's
 * head_sha), neutralises mentions and markers, and updates the gate's comment in place.
 */
import * as core from '@actions/core';
import { InputError } from '../common/errors.js';
import { GitHubApi, GitHubApiError, parseRepository } from '../integrations/github/api.js';
import { readCommentArtifact } from '../integrations/github/artifact.js';
import { sanitizeUntrustedBody, upsertGateComment } from '../integrations/github/comment.js';
import { readGitHubContext } from '../integrations/github/context.js';
import type { ActionSettings } from './input-helper.js';

export async function postCommentStep(settings: ActionSettings, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const github = readGitHubContext(env);
  const run = github.workflowRun;
  if (!run) throw new InputError(`mode "post-comment" runs in a workflow_run workflow (this event is ${github.eventName ?? 'unknown'})`);
  if (!github.repository) throw new InputError('GITHUB_REPOSITORY is not set');
  if (!settings.githubToken) throw new InputError('mode "post-comment" needs github-token (with pull-requests: write)');
  const { meta, body } = await readCommentArtifact(settings.artifactPath);

  const repo = github.repository;
  if (parseRepository(meta.repository)?.owner !== repo.owner || parseRepository(meta.repository)?.repo !== repo.repo) {
    core.warning(`rally-gate: the artifact names repository ${meta.repository}, this is ${repo.owner}/${repo.repo}: nothing posted`);
    return 0;
  }
  if (run.pullRequests.length > 0 && !run.pullRequests.includes(meta.pullRequest)) {
    core.warning(`rally-gate: the artifact names PR #${meta.pullRequest}, the run belongs to #${run.pullRequests.join(', #')}: nothing posted`);
    return 0;
  }
  const api = new GitHubApi({ apiUrl: github.apiUrl, token: settings.githubToken });
  const pr = await api.pullRequest(repo, meta.pullRequest);
  // The artifact was written by the PR's code; only GitHub's own record of the run says what it measured.
  if (pr.head.sha !== run.headSha || meta.headSha !== run.headSha) {
    core.warning(`rally-gate: PR #${meta.pullRequest} is at ${pr.head.sha.slice(0, 12)}, the run measured ${run.headSha.slice(0, 12)}: a newer run will comment; nothing posted`);
    return 0;
  }
  try {
    const result = await upsertGateComment(api, { repo, issueNumber: meta.pullRequest }, sanitizeUntrustedBody(body), {
      key: settings.commentKey,
      authors: { logins: settings.commentAuthors },
    });
    core.info(`rally-gate: PR comment ${result.action}: ${result.url}`);
    core.setOutput('comment-id', String(result.id));
    core.setOutput('comment-url', result.url);
    core.setOutput('verdict', meta.passed ? 'passed' : 'failed');
    return 0;
  } catch (error) {
    if (error instanceof GitHubApiError && error.isReadOnlyToken) {
      throw new InputError(`the token cannot write the PR comment: give the workflow "permissions: pull-requests: write" (${error.message})`);
    }
    throw error;
  }
}
