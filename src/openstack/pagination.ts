/**
 * Following list pages, in the three styles OpenStack APIs use:
 *
 * - "links": nova, neutron, cinder: `"<collection>_links": [{"rel": "next", "href": ...}]`
 * - "keystone": `"links": {"next": url-or-null}`
 * - "glance": `"next": "/v2/images?marker=..."`
 *
 * Each next link is followed through the session's own endpoint: only its query (marker,
 * limit and the filters) is taken, so that a link built with a wrong host or scheme by a
 * service behind a proxy still reaches the same API. A link that repeats a query already
 * fetched ends the listing with an error instead of looping.
 */
import { OpenStackInvalidResponse } from './errors.js';
import type { ServiceType } from './catalog.js';
import type { OpenStackSession, Query, RequestOptions } from './session.js';

export type PaginationStyle = 'links' | 'keystone' | 'glance';

export interface ListOptions {
  query?: Query;
  /** 'all' (default) follows next links; 'first' returns the first page only */
  pages?: 'all' | 'first';
  /** safety net against services that never stop paging */
  maxPages?: number;
  microversion?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The next link of a page, or undefined on the last page. */
export function nextLink(body: Record<string, unknown>, collection: string, style: PaginationStyle): string | undefined {
  switch (style) {
    case 'links': {
      const links = body[`${collection}_links`];
      if (!Array.isArray(links)) return undefined;
      const next = links.find((link: unknown) => typeof link === 'object' && link !== null && (link as { rel?: unknown }).rel === 'next') as
        | { href?: unknown }
        | undefined;
      return typeof next?.href === 'string' ? next.href : undefined;
    }
    case 'keystone': {
      const links = body.links as { next?: unknown } | undefined;
      return typeof links?.next === 'string' && links.next !== '' ? links.next : undefined;
    }
    case 'glance':
      return typeof body.next === 'string' && body.next !== '' ? body.next : undefined;
  }
}

/** The query part of a next link (absolute or relative), as a Query. */
function queryOf(link: string): Query {
  const parsed = new URL(link, 'http://next.invalid');
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(parsed.searchParams.keys())) {
    const values = parsed.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

function queryKey(query: Query | undefined): string {
  return JSON.stringify(Object.entries(query ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Lists `collection` at `apiPath`, following pages as `style` says. */
export async function listAll<T>(
  session: OpenStackSession,
  service: ServiceType,
  path: string,
  collection: string,
  style: PaginationStyle,
  options: ListOptions = {},
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let query: Query | undefined = options.query;
  const maxPages = options.maxPages ?? 10_000;
  for (let page = 0; ; page++) {
    const requestOptions: RequestOptions = {
      ...(query ? { query } : {}),
      ...(options.microversion !== undefined ? { microversion: options.microversion } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
    seen.add(queryKey(query));
    const response = await session.request<Record<string, unknown>>(service, 'GET', path, requestOptions);
    const body = response.body;
    const pageItems = typeof body === 'object' && body !== null ? body[collection] : undefined;
    if (!Array.isArray(pageItems)) {
      throw new OpenStackInvalidResponse('GET', response.url, response.status, response.requestId, `no "${collection}" list in the response body`);
    }
    items.push(...(pageItems as T[]));
    if (options.pages === 'first') return items;
    const next = nextLink(body, collection, style);
    if (next === undefined || pageItems.length === 0) return items;
    query = queryOf(next);
    if (seen.has(queryKey(query))) {
      throw new OpenStackInvalidResponse('GET', response.url, response.status, response.requestId, `pagination loop: the next link ${next} repeats a page already listed`);
    }
    if (page + 1 >= maxPages) {
      throw new OpenStackInvalidResponse('GET', response.url, response.status, response.requestId, `more than ${maxPages} pages of ${collection}`);
    }
  }
}
