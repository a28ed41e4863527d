/**
 * Pagination edge cases against a local fake: next links with a wrong host, relative Glance
 * links, Keystone's links.next, loops, empty last pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OpenStackCloud, OpenStackInvalidResponse, compute, identity, image, listAll, network, nextLink } from '../../../src/openstack/index.js';
import { startFakeCloud } from './fake-cloud.js';
import type { FakeCloud, FakeHandler } from './fake-cloud.js';

let fake: FakeCloud | undefined;
let cloud: OpenStackCloud | undefined;

afterEach(async () => {
  await cloud?.close();
  await fake?.close();
  cloud = undefined;
  fake = undefined;
});

async function admin(handler: FakeHandler) {
  fake = await startFakeCloud(handler);
  cloud = new OpenStackCloud(fake.credential());
  return cloud.admin();
}

function markerOf(url: string): string | null {
  return new URL(url, 'http://x').searchParams.get('marker');
}

describe('listAll', () => {
  it('follows nova-style *_links through our own endpoint even when the href names another host', async () => {
    const pages: Record<string, unknown> = {
      '': { servers: [{ id: 'a' }, { id: 'b' }], servers_links: [{ rel: 'next', href: 'http://wrong-host.invalid:8774/v2.1/servers/detail?limit=2&marker=b' }] },
      b: { servers: [{ id: 'c' }, { id: 'd' }], servers_links: [{ rel: 'next', href: 'http://wrong-host.invalid:8774/v2.1/servers/detail?limit=2&marker=d' }] },
      d: { servers: [{ id: 'e' }] },
    };
    const session = await admin((request) => ({ body: pages[markerOf(request.url) ?? ''] }));
    const servers = await compute.listServers(session, { query: { limit: 2 } });
    expect(servers.map((s) => s.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake!.requests.slice(1).map((r) => r.url)).toEqual([
      '/compute/v2.1/servers/detail?limit=2',
      '/compute/v2.1/servers/detail?limit=2&marker=b',
      '/compute/v2.1/servers/detail?limit=2&marker=d',
    ]);
  });

  it('keeps repeated query parameters of a next link', async () => {
    const session = await admin((request) =>
      markerOf(request.url)
        ? { body: { networks: [{ id: 'n2' }] } }
        : { body: { networks: [{ id: 'n1' }], networks_links: [{ rel: 'next', href: '/v2.0/networks?fields=id&fields=name&marker=n1' }] } },
    );
    const nets = await network.listNetworks(session, { query: { fields: ['id', 'name'] } });
    expect(nets.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(fake!.requests.at(-1)!.url).toBe('/network/v2.0/networks?fields=id&fields=name&marker=n1');
  });

  it("follows Glance's relative next link", async () => {
    const session = await admin((request) =>
      markerOf(request.url) === 'i1'
        ? { body: { images: [{ id: 'i2' }], first: '/v2/images' } }
        : { body: { images: [{ id: 'i1' }], next: '/v2/images?limit=1&marker=i1' } },
    );
    const images = await image.listImages(session, { query: { limit: 1 } });
    expect(images.map((i) => i.id)).toEqual(['i1', 'i2']);
    expect(fake!.requests.at(-1)!.url).toBe('/image/v2/images?limit=1&marker=i1');
  });

  it("follows Keystone's links.next and stops at null", async () => {
    const session = await admin((request) =>
      markerOf(request.url) === 'p1'
        ? { body: { projects: [{ id: 'p2' }], links: { next: null, self: 'x', previous: null } } }
        : { body: { projects: [{ id: 'p1' }], links: { next: 'http://127.0.0.1:5000/v3/projects?marker=p1', self: 'x', previous: null } } },
    );
    expect((await identity.listProjects(session)).map((p) => p.id)).toEqual(['p1', 'p2']);
  });

  it('stops on an empty page even if it has a next link', async () => {
    const session = await admin(() => ({ body: { volumes: [], volumes_links: [{ rel: 'next', href: '/v3/p/volumes/detail?marker=zzz' }] } }));
    expect(await listAll(session, 'block-storage', '/volumes/detail', 'volumes', 'links')).toEqual([]);
    expect(fake!.requests).toHaveLength(2);
  });

  it('fails on a next link that repeats a page instead of looping', async () => {
    const session = await admin(() => ({ body: { flavors: [{ id: 'f' }], flavors_links: [{ rel: 'next', href: '/v2.1/flavors/detail?marker=f' }] } }));
    const error = await compute.listFlavors(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenStackInvalidResponse);
    expect((error as Error).message).toMatch(/pagination loop: the next link \/v2\.1\/flavors\/detail\?marker=f repeats a page already listed/);
  });

  it("'first' reads one page; a page without the collection is an error", async () => {
    const session = await admin((request) =>
      request.url.includes('ports') ? { body: { ports: [{ id: 'x' }], ports_links: [{ rel: 'next', href: '?marker=x' }] } } : { body: { oops: [] } },
    );
    expect(await network.listPorts(session, { pages: 'first' })).toEqual([{ id: 'x' }]);
    await expect(network.listRouters(session)).rejects.toThrow(/no "routers" list in the response body/);
  });

  it('nextLink reads each style', () => {
    expect(nextLink({ servers_links: [{ rel: 'prev', href: 'p' }, { rel: 'next', href: 'n' }] }, 'servers', 'links')).toBe('n');
    expect(nextLink({ servers_links: [{ rel: 'prev', href: 'p' }] }, 'servers', 'links')).toBeUndefined();
    expect(nextLink({ links: { next: null } }, 'users', 'keystone')).toBeUndefined();
    expect(nextLink({ next: '/v2/images?marker=1' }, 'images', 'glance')).toBe('/v2/images?marker=1');
  });
});
