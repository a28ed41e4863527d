/**
 * `mode: run`: the same pipeline as `rally-gate run`, then the GitHub side: job summary,
 * annotations on the task files, outputs, and the PR comment (updated in place, or left as an
 * artifact for the two-step fork mode).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as core from '@actions/core';
import { createProgressReporter } from '../cli/progress.js';
import { watchStopSignals } from '../cli/signals.js';
import { verdictLine } from '../gate/report.js';
import { runGate, verificationVerdict, type GateRunResult } from '../gate/run-gate.js';
import { GitHubApi, GitHubApiError } from '../integrations/github/api.js';
import { gateAnnotations, MAX_ANNOTATIONS } from '../integrations/github/annotations.js';
import { renderGateComment, upsertGateComment } from '../integrations/github/comment.js';
import { readGitHubContext, type GitHubContext } from '../integrations/github/context.js';
import { writeCommentArtifact } from '../integrations/github/artifact.js';
import { prepareCloud } from './credentials.js';
import type { ActionSettings } from './input-helper.js';
import { setGateOutputs } from './outputs.js';

export const TWO_STEP_HINT =
  'the token cannot write to this pull request (a pull request from a fork gets a read-only GITHUB_TOKEN). ' +
  'Use the two-step mode: run the gate with "comment: artifact" and upload the results folder, and post it ' +
  'from a workflow_run workflow with "mode: post-comment" (docs/github-action.md). The verdict below is unchanged.';

/** Output of the gate's console goes to the log, but must not be read as workflow commands: task
 * error messages and titles are input, and a "::set-output" or "::add-mask" line in them would be obeyed. */
async function withoutWorkflowCommands<T>(work: () => Promise<T>): Promise<T> {
  const token = randomBytes(16).toString('hex');
  process.stdout.write(`::stop-commands::${token}\n`);
  try {
    return await work();
  } finally {
    process.stdout.write(`::${token}::\n`);
  }
}

async function postComment(settings: ActionSettings, github: GitHubContext, body: string): Promise<{ id: number; url: string } | undefined> {
  if (!github.pullRequest) {
    core.info(`rally-gate: no pull request in this ${github.eventName ?? 'run'}: no comment`);
    return undefined;
  }
  if (!github.repository) throw new Error('GITHUB_REPOSITORY is not set');
  if (!settings.githubToken) {
    core.warning('rally-gate: no github-token: the PR comment is skipped');
    return undefined;
  }
  const api = new GitHubApi({ apiUrl: github.apiUrl, token: settings.githubToken });
  try {
    const result = await upsertGateComment(api, { repo: github.repository, issueNumber: github.pullRequest.number }, body, {
      key: settings.commentKey,
      authors: { logins: settings.commentAuthors },
    });
    core.info(`rally-gate: PR comment ${result.action}: ${result.url}`);
    return result;
  } catch (error) {
    if (!(error instanceof GitHubApiError)) throw error;
    // The verdict is the job's result; a comment that cannot be written never hides it.
    core.warning(error.isReadOnlyToken ? `rally-gate: ${TWO_STEP_HINT} (${error.message})` : `rally-gate: the PR comment could not be written: ${error.message}`);
    return undefined;
  }
}

function annotate(result: GateRunResult, github: GitHubContext): void {
  const annotations = gateAnnotations(result.judgement, result.workloads, github.workspace);
  for (const a of annotations.slice(0, MAX_ANNOTATIONS)) {
    const properties = { title: a.title, ...(a.file ? { file: a.file } : {}), ...(a.line !== undefined ? { startLine: a.line } : {}), ...(a.column !== undefined ? { startColumn: a.column } : {}) };
    if (a.level === 'error') core.error(a.message, properties);
    else core.warning(a.message, properties);
  }
  if (annotations.length > MAX_ANNOTATIONS) core.warning(`rally-gate: ${annotations.length - MAX_ANNOTATIONS} more findings are in the job summary`);
}

export async function gateStep(settings: ActionSettings, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const github = readGitHubContext(env);
  const cloud = await prepareCloud(settings.cloud);
  for (const secret of cloud.secrets) core.setSecret(secret);
  Object.assign(process.env, cloud.env);
  const stop = watchStopSignals((signal) => core.info(`rally-gate: ${signal} received: finishing in-flight iterations and cleaning up`));
  let result: GateRunResult;
  try {
    result = await withoutWorkflowCommands(() =>
      runGate({
        ...(settings.settingsFile !== undefined ? { settingsFile: settings.settingsFile } : {}),
        taskFiles: settings.taskFiles,
        ...(settings.store ? { store: settings.store } : {}),
        outDir: settings.outDir,
        storeBaseline: settings.storeBaseline,
        ...(settings.baseRef !== undefined ? { baseRef: settings.baseRef } : {}),
        fingerprint: settings.fingerprint,
        ...(settings.deploymentFile !== undefined ? { deploymentFile: settings.deploymentFile } : {}),
        ...(settings.verify !== undefined ? { verify: settings.verify } : {}),
        cloud: cloud.options,
        stop,
        progress: createProgressReporter(process.stderr, false),
        print: (text) => process.stdout.write(text),
        color: false,
        env,
      }),
    );
  } finally {
    stop.dispose();
    await cloud.dispose();
  }

  const body = renderGateComment(result.summaryMarkdown, result.workloads, { ...(github.runUrl ? { runUrl: github.runUrl } : {}) });
  const commentFile = join(result.files.outDir, 'github-comment.md');
  await writeFile(commentFile, body);
  if (env['GITHUB_STEP_SUMMARY']) {
    try {
      await core.summary.addRaw(body, true).write();
    } catch (error) {
      core.warning(`rally-gate: the job summary could not be written: ${(error as Error).message}`);
    }
  }
  annotate(result, github);

  let comment: { id: number; url: string } | undefined;
  if (settings.comment === 'update') comment = await postComment(settings, github, body);
  else if (settings.comment === 'artifact') {
    if (github.pullRequest && github.repository) {
      await writeCommentArtifact(result.files.outDir, { repository: `${github.repository.owner}/${github.repository.repo}`, pullRequest: github.pullRequest.number, headSha: github.pullRequest.headSha, passed: result.passed, exitCode: result.exitCode });
      core.info(`rally-gate: comment left in ${result.files.outDir} for a workflow_run workflow to post (upload this folder as an artifact)`);
    } else core.info('rally-gate: no pull request: no comment artifact');
  }

  setGateOutputs(result, comment);
  const line = verdictLine(result.judgement, result.verification ? verificationVerdict(result.verification) : undefined).replace(/:[a-z_]+: /, '').replace(/\*\*/g, '');
  core.info(`${line}\nbaseline: ${result.baselineNote}\nbaseline store: ${result.storeNote}\nresults: ${result.files.outDir}`);
  if (result.exitCode !== 0 && settings.failOnVerdict) {
    core.setFailed(result.interrupted ? 'rally-gate: interrupted (partial results written)' : line);
    return result.exitCode;
  }
  return 0;
}
