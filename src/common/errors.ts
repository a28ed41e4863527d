/**
 * Errors that decide the process exit code. Anything else that escapes is a bug
 * and is reported as a runtime error (exit 3) with its stack.
 */

/** Where in an input file something is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** Path inside a task, e.g. ['subtasks', 2, 'workloads', 0, 'runner', 'constant', 'times']. */
export type TaskPath = ReadonlyArray<string | number>;

export function formatTaskPath(path: TaskPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * Bad user input: task files, task args, deployment files, settings.
 * Exit code 2; printed as one line (plus optional hint lines), never with a stack trace.
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly location?: SourceLocation,
    readonly path?: TaskPath,
    readonly hints: string[] = [],
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `file:line:col: subtasks[0].runner.constant.times: must be >= 1` */
  format(): string {
    const where = this.location ? `${formatLocation(this.location)}: ` : '';
    const path = this.path && this.path.length > 0 ? `${formatTaskPath(this.path)}: ` : '';
    return [`${where}${path}${this.message}`, ...this.hints.map((h) => `  ${h}`)].join('\n');
  }
}

/** Several input errors found in one pass (validation reports all it finds). */
export class InputErrors extends InputError {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'InputErrors';
  }
  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}

/** A cloud, SSH or other infrastructure fault that stopped the run. Exit code 3. */
export class InfraError extends Error {
  readonly exitCode = 3;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraError';
  }
}

export const ExitCode = {
  ok: 0,
  slaFailed: 1,
  invalidInput: 2,
  runtimeError: 3,
  interrupted: 130,
  terminated: 143,
} as const;
