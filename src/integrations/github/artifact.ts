/**
 * The two-step mode for pull requests from forks: the PR's workflow (read-only token) leaves the
 * comment and where it belongs in its results folder, uploaded as an artifact; a workflow_run
 * workflow (write token, never running PR code) reads it back and posts it. Everything read back
 * is untrusted: the PR's own code wrote it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../common/errors.js';

export const COMMENT_ARTIFACT_FILE = 'github-comment.json';
export const COMMENT_BODY_FILE = 'github-comment.md';

export interface CommentArtifact {
  format: 1;
  /** owner/repo the pull request belongs to */
  repository: string;
  pullRequest: number;
  /** the commit the gate measured (checked against the workflow_run's head_sha) */
  headSha: string;
  passed: boolean;
  exitCode: number;
}

export async function writeCommentArtifact(dir: string, data: Omit<CommentArtifact, 'format'>): Promise<string> {
  const file = join(dir, COMMENT_ARTIFACT_FILE);
  await writeFile(file, `${JSON.stringify({ format: 1, ...data }, null, 2)}\n`);
  return file;
}

/** Reads and checks the artifact's shape; the body is returned as text (sanitised by the poster). */
export async function readCommentArtifact(dir: string): Promise<{ meta: CommentArtifact; body: string }> {
  const metaFile = join(dir, COMMENT_ARTIFACT_FILE);
  const bodyFile = join(dir, COMMENT_BODY_FILE);
  let raw: unknown;
  let body: string;
  try {
    raw = JSON.parse(await readFile(metaFile, 'utf8'));
    body = await readFile(bodyFile, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the comment artifact (${(error as Error).message.split('\n')[0]}); was the gate run with "comment: artifact" and its results folder downloaded here?`, { file: metaFile });
  }
  const m = raw as Partial<CommentArtifact>;
  const valid =
    m.format === 1 &&
    typeof m.repository === 'string' &&
    /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(m.repository) &&
    Number.isSafeInteger(m.pullRequest) &&
    (m.pullRequest as number) > 0 &&
    typeof m.headSha === 'string' &&
    /^[0-9a-f]{40}$/i.test(m.headSha) &&
    typeof m.passed === 'boolean' &&
    Number.isInteger(m.exitCode);
  if (!valid) throw new InputError('the comment artifact is malformed (format, repository, pullRequest, headSha, passed, exitCode)', { file: metaFile });
  return { meta: m as CommentArtifact, body };
}
