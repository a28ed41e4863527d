/**
 * Where a run comes from, and whether it may write the baseline. Only runs on trusted refs (the
 * default branch, scheduled runs) may; a pull request never may, whatever its branch is called.
 * CI systems are recognised from their environment; explicit flags override what is detected.
 */

export interface RunOrigin {
  /** branch name without refs/heads/ ("main"), or undefined when unknown */
  branch?: string;
  /** what started the run: push, schedule, pull_request, change (Zuul check/gate), manual, ... */
  event?: string;
  /** the commit measured */
  commit?: string;
  /** a pull request / change is being tested (never trusted) */
  pullRequest: boolean;
  /** which CI it was read from, for messages */
  source: string;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'merge_group', 'change']);

/** Reads the run's origin from CI variables (GitHub Actions, Zuul, Jenkins). */
export function detectOrigin(env: NodeJS.ProcessEnv = process.env): RunOrigin {
  if (env['GITHUB_ACTIONS'] === 'true' || env['GITHUB_EVENT_NAME'] !== undefined) {
    const event = env['GITHUB_EVENT_NAME'];
    const ref = env['GITHUB_REF'] ?? '';
    const pullRequest = (event !== undefined && PULL_REQUEST_EVENTS.has(event)) || ref.startsWith('refs/pull/');
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : pullRequest ? env['GITHUB_HEAD_REF'] : undefined;
    return { ...(branch ? { branch } : {}), ...(event ? { event } : {}), ...(env['GITHUB_SHA'] ? { commit: env['GITHUB_SHA'] } : {}), pullRequest, source: 'GitHub Actions' };
  }
  if (env['ZUUL_PIPELINE'] !== undefined || env['ZUUL_BRANCH'] !== undefined) {
    // check and gate pipelines test proposed changes; post, periodic and promote run merged code.
    const pipeline = env['ZUUL_PIPELINE'] ?? '';
    const pullRequest = env['ZUUL_CHANGE'] !== undefined || /^(check|gate|experimental)/.test(pipeline);
    const event = /periodic/.test(pipeline) ? 'schedule' : pullRequest ? 'change' : 'push';
    return {
      ...(env['ZUUL_BRANCH'] ? { branch: env['ZUUL_BRANCH'] } : {}),
      event,
      ...(env['ZUUL_NEWREV'] || env['ZUUL_COMMIT'] ? { commit: (env['ZUUL_NEWREV'] || env['ZUUL_COMMIT']) as string } : {}),
      pullRequest,
      source: 'Zuul',
    };
  }
  if (env['JENKINS_URL'] !== undefined || env['GIT_BRANCH'] !== undefined) {
    const pullRequest = env['CHANGE_ID'] !== undefined;
    const branch = (env['BRANCH_NAME'] ?? env['GIT_BRANCH'] ?? '').replace(/^(refs\/heads\/|origin\/)/, '');
    return {
      ...(branch ? { branch } : {}),
      event: pullRequest ? 'pull_request' : 'push',
      ...(env['GIT_COMMIT'] ? { commit: env['GIT_COMMIT'] } : {}),
      pullRequest,
      source: 'Jenkins',
    };
  }
  return { pullRequest: false, source: 'no CI detected' };
}

/** Flags given on the command line win over what was detected. */
export function overrideOrigin(detected: RunOrigin, flags: { branch?: string; event?: string; commit?: string }): RunOrigin {
  const origin: RunOrigin = { ...detected };
  if (flags.branch !== undefined) origin.branch = flags.branch;
  if (flags.commit !== undefined) origin.commit = flags.commit;
  if (flags.event !== undefined) {
    origin.event = flags.event;
    origin.pullRequest = PULL_REQUEST_EVENTS.has(flags.event);
    origin.source = 'command line';
  }
  return origin;
}

export interface TrustPolicy {
  branches: readonly string[];
  events: readonly string[];
}

/**
 * Is the run allowed to write the baseline? Never for a pull request / change; else when it is a
 * trusted event (push, schedule, ...) on a trusted branch, or a scheduled run (any branch).
 * Returns the reason either way, for the report.
 */
export function trustDecision(origin: RunOrigin, policy: TrustPolicy): { trusted: boolean; reason: string } {
  if (origin.pullRequest) return { trusted: false, reason: `a pull request or change (${origin.source}) never writes the baseline` };
  if (origin.event === undefined) return { trusted: false, reason: 'the event is unknown (give --event push or --event schedule)' };
  if (!policy.events.includes(origin.event)) return { trusted: false, reason: `event "${origin.event}" is not trusted (trusted: ${policy.events.join(', ')})` };
  if (origin.event === 'schedule') return { trusted: true, reason: 'a scheduled run' };
  if (origin.branch === undefined) return { trusted: false, reason: 'the branch is unknown (give --branch)' };
  if (!policy.branches.includes(origin.branch)) {
    return { trusted: false, reason: `branch "${origin.branch}" is not trusted (trusted: ${policy.branches.join(', ')})` };
  }
  return { trusted: true, reason: `${origin.event} on trusted branch "${origin.branch}"` };
}

/** Thrown by guardedWrite when an untrusted run tries to store a baseline. */
export class UntrustedWriteError extends Error {
  constructor(reason: string) {
    super(`refusing to write the baseline: ${reason}`);
    this.name = 'UntrustedWriteError';
  }
}

/** The only way the gate writes a baseline: checks trust first, then writes. */
export async function guardedWrite<T>(origin: RunOrigin, policy: TrustPolicy, write: () => Promise<T>): Promise<T> {
  const decision = trustDecision(origin, policy);
  if (!decision.trusted) throw new UntrustedWriteError(decision.reason);
  return write();
}
