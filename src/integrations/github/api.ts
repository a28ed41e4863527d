/**
 * The few GitHub REST calls the gate makes (issue comments, one pull request), over fetch. Thin on
 * purpose: tests point GITHUB_API_URL at a local server that answers like GitHub. Errors name the
 * method, URL, status and GitHub's request id; the token never appears in them.
 */

export interface GitHubApiOptions {
  /** https://api.github.com, or GITHUB_API_URL on GitHub Enterprise Server */
  apiUrl: string;
  token: string;
  userAgent?: string;
  /** per-request time limit (default 30 s) */
  timeoutMs?: number;
}

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export interface IssueComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: string } | null;
}

export interface PullRequestInfo {
  number: number;
  state: string;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { ref: string; repo: { full_name: string } };
}

/** A GitHub API call that did not succeed. */
export class GitHubApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
  ) {
    super(`GitHub API ${method} ${url} failed: ${status} ${apiMessage}${requestId ? ` (request id ${requestId})` : ''}`);
    this.name = 'GitHubApiError';
  }

  /**
   * The token may not write here: GitHub's answer to a read-only GITHUB_TOKEN (pull requests from
   * forks, or `permissions:` without pull-requests/issues write).
   */
  get isReadOnlyToken(): boolean {
    return this.status === 403 && /not accessible by integration|permission|forbidden/i.test(this.apiMessage);
  }
}

/** "owner/repo" -> {owner, repo}; undefined when malformed. */
export function parseRepository(fullName: string | undefined): RepositoryRef | undefined {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(fullName ?? '');
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

/** The `rel="next"` target of a Link header (RFC 8288, as GitHub writes it). */
export function nextPageUrl(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2]!.split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

export class GitHubApi {
  private readonly base: URL;

  constructor(private readonly options: GitHubApiOptions) {
    this.base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
  }

  private async request<T>(method: string, url: URL, body?: unknown): Promise<{ data: T; link: string | null }> {
    // Pagination links come from the server: never send the token to another origin.
    if (url.origin !== this.base.origin) throw new Error(`GitHub API: refusing to follow a link to another origin (${url.origin})`);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'user-agent': this.options.userAgent ?? 'rally-gate',
          'x-github-api-version': '2022-11-28',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new GitHubApiError(method, url.toString(), 0, `no answer: ${cause}`, undefined);
    }
    const text = await response.text();
    const requestId = response.headers.get('x-github-request-id') ?? undefined;
    if (!response.ok) {
      let message = text.slice(0, 300);
      try {
        message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
      } catch {
        // not JSON: keep the start of the text
      }
      throw new GitHubApiError(method, url.toString(), response.status, message, requestId);
    }
    try {
      return { data: (text === '' ? undefined : JSON.parse(text)) as T, link: response.headers.get('link') };
    } catch {
      throw new GitHubApiError(method, url.toString(), response.status, 'the answer is not JSON', requestId);
    }
  }

  private url(path: string, query: Record<string, string | number> = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    return url;
  }

  /** Every comment of an issue or pull request, following the Link header page by page. */
  async *issueComments(repo: RepositoryRef, issueNumber: number, perPage = 100): AsyncGenerator<IssueComment> {
    let next: URL | undefined = this.url(`repos/${repo.owner}/${repo.repo}/issues/${issueNumber}/comments`, { per_page: perPage });
    for (let page = 0; next && page < 1000; page++) {
      const { data, link }: { data: IssueComment[]; link: string | null } = await this.request<IssueComment[]>('GET', next);
      yield* data;
      const target = nextPageUrl(link);
      next = target ? new URL(target, this.base) : undefined;
    }
  }

  createIssueComment(repo: RepositoryRef, issueNumber: number, body: string): Promise<IssueComment> {
    return this.request<IssueComment>('POST', this.url(`repos/${repo.owner}/${repo.repo}/issues/${issueNumber}/comments`), { body }).then((r) => r.data);
  }

  updateIssueComment(repo: RepositoryRef, commentId: number, body: string): Promise<IssueComment> {
    return this.request<IssueComment>('PATCH', this.url(`repos/${repo.owner}/${repo.repo}/issues/comments/${commentId}`), { body }).then((r) => r.data);
  }

  pullRequest(repo: RepositoryRef, pullNumber: number): Promise<PullRequestInfo> {
    return this.request<PullRequestInfo>('GET', this.url(`repos/${repo.owner}/${repo.repo}/pulls/${pullNumber}`)).then((r) => r.data);
  }
}
