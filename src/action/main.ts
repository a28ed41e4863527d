/**
 * The GitHub Action (action.yml -> dist/index.js). Thin: inputs -> one settings object -> the step
 * of its mode. Exit codes as the CLI's: 0 passed, 1 the gate failed, 2 invalid input, 3 runtime
 * error, 130/143 interrupted.
 */
import * as core from '@actions/core';
import { ExitCode, InfraError, InputError } from '../common/errors.js';
import { GitHubApiError } from '../integrations/github/api.js';
import { gateStep } from './gate-step.js';
import { getActionSettings, secretValues } from './input-helper.js';
import { postCommentStep } from './post-comment-step.js';

export async function run(): Promise<number> {
  try {
    const settings = getActionSettings((name) => core.getInput(name));
    for (const secret of secretValues(settings)) core.setSecret(secret);
    if (settings.workingDirectory) process.chdir(settings.workingDirectory);
    return settings.mode === 'post-comment' ? await postCommentStep(settings) : await gateStep(settings);
  } catch (error) {
    return reportActionError(error);
  }
}

/** Fails the step with a message that fits the error's kind; returns the exit code. */
export function reportActionError(error: unknown): number {
  if (error instanceof InputError) {
    core.setFailed(`rally-gate: invalid input: ${error.format()}`);
    return ExitCode.invalidInput;
  }
  if (error instanceof InfraError || error instanceof GitHubApiError) {
    core.setFailed(`rally-gate: ${error.message}`);
    return ExitCode.runtimeError;
  }
  core.setFailed(`rally-gate: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return ExitCode.runtimeError;
}
