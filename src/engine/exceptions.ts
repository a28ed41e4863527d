/**
 * Errors raised inside iterations, contexts and hooks, and how they are recorded.
 * Rally records an exception as [class name, str(exc), traceback]; reports and SLA details show
 * the class name, so scenarios raise errors whose `name` is Rally's (Python) class name.
 */
import type { IterationError } from './types.js';

/** An error carrying a Python/Rally exception class name, e.g. KeyError, ValueError. */
export class ScenarioError extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/** rally.exceptions.RallyException: str(exc) is the message. */
export class RallyException extends ScenarioError {
  constructor(message: string, type = 'RallyException') {
    super(type, message);
  }
}

/** rally.exceptions.ThreadTimeoutException, what Rally raises in an iteration past the runner's timeout. */
export class ThreadTimeoutException extends RallyException {
  constructor() {
    super('Iteration interrupted due to timeout.', 'ThreadTimeoutException');
  }
}

/**
 * Recorded for an iteration that was still running when a manual abort's grace period ended.
 * (Rally itself lets such iterations finish; rally-gate cancels them, see runWorkload.)
 */
export class TaskAbortedException extends RallyException {
  constructor() {
    super('Iteration interrupted because the task was aborted.', 'TaskAborted');
  }
}

/** Class name and message of anything thrown, the way Rally's format_exc names them. */
export function describeThrown(thrown: unknown): { type: string; message: string; stack: string | undefined } {
  if (thrown instanceof Error) {
    const type = thrown.name && thrown.name !== 'Error' ? thrown.name : 'Exception';
    return { type, message: thrown.message, stack: thrown.stack };
  }
  return { type: 'Exception', message: String(thrown), stack: undefined };
}

/**
 * A traceback text shaped like Python's (header, frames, "Type: message" last line) so that the
 * Failures view of reports reads the same for rally-gate and Rally results.
 */
export function formatTraceback(thrown: unknown): string {
  const { type, message, stack } = describeThrown(thrown);
  const frames = (stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => `  ${line.trim()}`);
  const last = message === '' ? type : `${type}: ${message}`;
  return ['Traceback (most recent call last):', ...frames, last].join('\n') + '\n';
}

/** [type, message, traceback] as stored in an iteration's `error`. */
export function formatIterationError(thrown: unknown): IterationError {
  const { type, message } = describeThrown(thrown);
  return [type, message, formatTraceback(thrown)];
}

/** {etype, msg, traceback} as stored in contexts_results. */
export function formatContextError(thrown: unknown): { etype: string; msg: string; traceback: string } {
  const { type, message } = describeThrown(thrown);
  return { etype: type, msg: message, traceback: formatTraceback(thrown) };
}
