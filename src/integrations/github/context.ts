/**
 * What GitHub Actions tells a step about its run: repository, event, pull request, workflow run
 * (read from the GITHUB_* variables and the event payload at GITHUB_EVENT_PATH).
 */
import { readFileSync } from 'node:fs';
import { parseRepository, type RepositoryRef } from './api.js';

export interface WorkflowRunEvent {
  /** the run that uploaded the artifact (workflow_run events) */
  id: number;
  headSha: string;
  event: string;
  conclusion: string | null;
  /** PRs GitHub links to the run; empty for pull requests from forks */
  pullRequests: number[];
}

export interface GitHubContext {
  repository?: RepositoryRef;
  eventName?: string;
  apiUrl: string;
  serverUrl: string;
  workspace: string;
  runUrl?: string;
  /** the pull request this run is about (pull_request* events) */
  pullRequest?: { number: number; headSha: string; headRepository?: string; baseRepository?: string };
  workflowRun?: WorkflowRunEvent;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function readEvent(path: string | undefined): Json {
  if (!path) return {};
  try {
    return object(JSON.parse(readFileSync(path, 'utf8'))) ?? {};
  } catch {
    return {};
  }
}

export function readGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const event = readEvent(env['GITHUB_EVENT_PATH']);
  const repository = parseRepository(env['GITHUB_REPOSITORY']);
  const serverUrl = (env['GITHUB_SERVER_URL'] ?? 'https://github.com').replace(/\/$/, '');
  const context: GitHubContext = {
    ...(repository ? { repository } : {}),
    ...(env['GITHUB_EVENT_NAME'] ? { eventName: env['GITHUB_EVENT_NAME'] } : {}),
    apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com',
    serverUrl,
    workspace: env['GITHUB_WORKSPACE'] ?? process.cwd(),
    ...(repository && env['GITHUB_RUN_ID'] ? { runUrl: `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${env['GITHUB_RUN_ID']}` } : {}),
  };
  const pr = object(event['pull_request']);
  if (pr && typeof pr['number'] === 'number') {
    const head = object(pr['head']);
    const base = object(pr['base']);
    const headRepo = object(head?.['repo'])?.['full_name'];
    const baseRepo = object(base?.['repo'])?.['full_name'];
    context.pullRequest = {
      number: pr['number'],
      headSha: String(head?.['sha'] ?? ''),
      ...(typeof headRepo === 'string' ? { headRepository: headRepo } : {}),
      ...(typeof baseRepo === 'string' ? { baseRepository: baseRepo } : {}),
    };
  }
  const run = object(event['workflow_run']);
  if (run && typeof run['id'] === 'number') {
    const prs = Array.isArray(run['pull_requests']) ? run['pull_requests'] : [];
    context.workflowRun = {
      id: run['id'],
      headSha: String(run['head_sha'] ?? ''),
      event: String(run['event'] ?? ''),
      conclusion: typeof run['conclusion'] === 'string' ? run['conclusion'] : null,
      pullRequests: prs.map((p) => object(p)?.['number']).filter((n): n is number => typeof n === 'number'),
    };
  }
  return context;
}
