/**
 * One gate comment per pull request: found again by a hidden marker, created once, then updated in
 * place. The marker carries a key so that two gates of one repository (e.g. a matrix of clouds)
 * keep one comment each.
 */
import { escapeMarkdown } from '../../gate/report.js';
import type { GateWorkloadOutcome } from '../../gate/run-gate.js';
import type { GitHubApi, IssueComment, RepositoryRef } from './api.js';

/** GitHub refuses comment bodies longer than this (characters). */
export const MAX_COMMENT_LENGTH = 65_536;

const MARKER_PATTERN = /<!--\s*rally-gate:comment\b[^>]*-->/g;

/** `<!-- rally-gate:comment key=default -->`; the key is reduced to characters that cannot end the comment. */
export function commentMarker(key = 'default'): string {
  // no "--" either: it is not allowed inside an HTML comment
  const safe = key.replace(/[^A-Za-z0-9_.\/-]+/g, '_').replace(/-{2,}/g, '-').slice(0, 100) || 'default';
  return `<!-- rally-gate:comment key=${safe} -->`;
}

export interface CommentAuthorPolicy {
  /** logins whose comments may be ours (a PAT's user); bots are always accepted */
  logins?: readonly string[];
}

/** Is this comment one the gate wrote? The marker alone is not enough: anyone can type it. */
export function isGateComment(comment: IssueComment, marker: string, policy: CommentAuthorPolicy = {}): boolean {
  if (!comment.body?.includes(marker)) return false;
  const user = comment.user;
  if (!user) return false;
  return user.type === 'Bot' || (policy.logins ?? []).includes(user.login);
}

/** The first (oldest) gate comment with this marker, across every page of the PR's comments. */
export async function findGateComment(api: GitHubApi, repo: RepositoryRef, issueNumber: number, marker: string, policy?: CommentAuthorPolicy): Promise<IssueComment | undefined> {
  for await (const comment of api.issueComments(repo, issueNumber)) {
    if (isGateComment(comment, marker, policy)) return comment;
  }
  return undefined;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url: string;
}

/** Creates the PR's gate comment, or updates the existing one (never a second one). */
export async function upsertGateComment(
  api: GitHubApi,
  target: { repo: RepositoryRef; issueNumber: number },
  body: string,
  options: { key?: string; authors?: CommentAuthorPolicy } = {},
): Promise<UpsertResult> {
  const marker = commentMarker(options.key);
  const text = withMarker(body, marker);
  const existing = await findGateComment(api, target.repo, target.issueNumber, marker, options.authors);
  if (existing) {
    const updated = await api.updateIssueComment(target.repo, existing.id, text);
    return { action: 'updated', id: updated.id ?? existing.id, url: updated.html_url ?? existing.html_url };
  }
  const created = await api.createIssueComment(target.repo, target.issueNumber, text);
  return { action: 'created', id: created.id, url: created.html_url };
}

/** The body with exactly one marker (ours) at the top, cut to GitHub's length limit. */
export function withMarker(body: string, marker: string): string {
  const text = `${marker}\n${body.replace(MARKER_PATTERN, '')}`;
  return truncateComment(text);
}

export function truncateComment(text: string, limit = MAX_COMMENT_LENGTH): string {
  if (text.length <= limit) return text;
  const note = '\n\n… (truncated: the full summary is in the job summary and the report artifact)\n';
  // Close a details block left open by the cut, so the rest of the page renders.
  const cut = text.slice(0, limit - note.length - 20);
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  return `${cut}${note}${open > 0 ? '\n</details>\n' : ''}`;
}

/**
 * A comment body from a report artifact, which a pull request's own code produced: it cannot be
 * trusted to have escaped anything. Mentions are neutralised (no notifications from a bot comment
 * written by a PR) and gate markers removed (the poster adds its own).
 */
export function sanitizeUntrustedBody(body: string): string {
  return body
    .replace(MARKER_PATTERN, '')
    .replace(/@(?=[A-Za-z0-9_-])/g, '&#64;')
    .replace(/\0/g, '');
}

export interface CommentContext {
  /** link to the workflow run, where the artifacts and logs are */
  runUrl?: string;
  /** name of the uploaded results artifact */
  artifactName?: string;
}

/**
 * The PR comment: summary.md plus what the summary leaves out for failing workloads (their most
 * frequent iteration errors, escaped) and where the full reports are.
 */
export function renderGateComment(summaryMarkdown: string, workloads: readonly GateWorkloadOutcome[], context: CommentContext = {}): string {
  // summary.md links its files relatively (right next to it on disk); in a PR comment such links
  // would point into the PR page, so they become plain names of files in the results artifact.
  const summary = summaryMarkdown.replace(/^- \[(.*)\]\((?![a-z][a-z0-9+.-]*:)[^)]*\)$/gm, '- $1');
  const lines = [summary.trimEnd(), ''];
  const failing = workloads.filter((w) => w.failures > 0 && w.errors.length > 0);
  if (failing.length > 0) {
    lines.push('<details><summary>Iteration errors</summary>', '');
    for (const w of failing) {
      lines.push(`- ${escapeMarkdown(`${w.scenario}[${w.position}]`)} (${escapeMarkdown(w.subtask)}): ${w.failures} of ${w.iterations} iterations failed`);
      for (const e of w.errors) lines.push(`  - ${e.count}× ${escapeMarkdown(`${e.type}: ${e.message}`.slice(0, 500))}`);
    }
    lines.push('', '</details>', '');
  }
  if (context.runUrl) {
    const artifact = context.artifactName ? `artifact ${escapeMarkdown(context.artifactName)}` : 'results artifact';
    lines.push(`Full reports (report.html, junit.xml, task.json): the ${artifact} of the [workflow run](${encodeURI(context.runUrl)})`, '');
  }
  return lines.join('\n');
}
