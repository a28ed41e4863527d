/**
 * A local HTTP server that answers like the GitHub REST API for what the gate uses: issue comments
 * (list with per_page/page and a Link header, create, update) and one pull request. Tokens decide
 * what is allowed: a read-only token gets GitHub's 403 "Resource not accessible by integration" on
 * writes, as a fork PR's GITHUB_TOKEN does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  html_url: string;
}

export interface FakeGitHub {
  url: string;
  /** comments per "owner/repo#number" */
  comments: Map<string, FakeComment[]>;
  pulls: Map<string, { head: { sha: string; ref: string; repo: { full_name: string } } }>;
  /** every request, "METHOD path?query" */
  log: string[];
  addComment(key: string, body: string, user?: FakeComment['user']): FakeComment;
  close(): Promise<void>;
}

export const WRITE_TOKEN = 'ghs_write_token_for_tests';
export const READ_ONLY_TOKEN = 'ghs_read_only_token_for_tests';

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text === '' ? undefined : JSON.parse(text);
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const comments = new Map<string, FakeComment[]>();
  const pulls: FakeGitHub['pulls'] = new Map();
  const log: string[] = [];
  let nextId = 1000;
  let base = '';
  const addComment = (key: string, body: string, user: FakeComment['user'] = { login: 'someone', type: 'User' }): FakeComment => {
    const id = nextId++;
    const comment = { id, body, user, html_url: `https://github.example/${key.replace('#', '/pull/')}#issuecomment-${id}` };
    comments.set(key, [...(comments.get(key) ?? []), comment]);
    return comment;
  };

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', base);
    log.push(`${request.method} ${url.pathname}${url.search}`);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', 'x-github-request-id': `FAKE:${log.length}`, ...headers });
      response.end(JSON.stringify(data));
    };
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (token !== WRITE_TOKEN && token !== READ_ONLY_TOKEN) return send(401, { message: 'Bad credentials' });
    const write = request.method !== 'GET';
    if (write && token === READ_ONLY_TOKEN) {
      return send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    }
    let match = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (match) {
      const key = `${match[1]}/${match[2]}#${match[3]}`;
      if (request.method === 'GET') {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = comments.get(key) ?? [];
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const links: string[] = [];
        const pageUrl = (n: number) => `${base}${url.pathname.slice(1)}?per_page=${perPage}&page=${n}`;
        if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
        if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`);
        return send(200, all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
      }
      if (request.method === 'POST') {
        const { body } = (await bodyOf(request)) as { body: string };
        return send(201, addComment(key, body, { login: 'github-actions[bot]', type: 'Bot' }));
      }
    }
    match = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (match && request.method === 'PATCH') {
      const id = Number(match[3]);
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === id);
        if (comment) {
          comment.body = ((await bodyOf(request)) as { body: string }).body;
          return send(200, comment);
        }
      }
      return send(404, { message: 'Not Found' });
    }
    match = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    if (match && request.method === 'GET') {
      const pull = pulls.get(`${match[1]}/${match[2]}#${match[3]}`);
      return pull ? send(200, { number: Number(match[3]), state: 'open', ...pull, base: { ref: 'main', repo: { full_name: `${match[1]}/${match[2]}` } } }) : send(404, { message: 'Not Found' });
    }
    send(404, { message: 'Not Found' });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return {
    url: base.replace(/\/$/, ''),
    comments,
    pulls,
    log,
    addComment,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
