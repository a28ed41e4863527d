import { describe, expect, it } from 'vitest';
import { cleanupResources } from '../../../../src/plugins/openstack/cleanup/manager.js';
import type { CleanupResourceManager, CleanupScope } from '../../../../src/plugins/openstack/cleanup/registry.js';
import { randomNameFor } from '../../../../src/plugins/openstack/names.js';
import { OpenStackHttpError, type OpenStackSession } from '../../../../src/openstack/index.js';
import type { OpenStackUser } from '../../../../src/plugins/openstack/platform.js';

const OWNER = '0a1b2c3d-0000-4000-8000-000000000000';
const OTHER = 'ffffffff-0000-4000-8000-000000000000';

// Sessions are only handed through to the managers here; "service" keystone-less names skip the catalog check.
const session = (label: string) => ({ label }) as unknown as OpenStackSession;

interface Item {
  id: string;
  name: string;
}

function fakeManager(resource: string, order: number, items: Item[], log: string[], extra: Partial<CleanupResourceManager<Item>> = {}): CleanupResourceManager<Item> {
  return {
    service: 'fake',
    resource,
    order,
    list: async (scope: CleanupScope) => {
      log.push(`list ${resource} as ${(scope.session as unknown as { label: string }).label}`);
      return items;
    },
    id: (item) => item.id,
    name: (item) => item.name,
    delete: async (_scope, item) => {
      log.push(`delete ${resource} ${item.id}`);
    },
    ...extra,
  };
}

describe('cleanupResources (Rally seek-and-destroy)', () => {
  it('deletes only names of the owner and kinds asked, manager by manager in the given order', async () => {
    const log: string[] = [];
    const servers = fakeManager('servers', 200, [
      { id: 's1', name: randomNameFor(OWNER, 'scenario') },
      { id: 's2', name: `${randomNameFor(OWNER, 'scenario')}-1` }, // bulk-boot suffix: matches (exact=False)
      { id: 's3', name: randomNameFor(OTHER, 'scenario') },
      { id: 's4', name: randomNameFor(OWNER, 'context') },
      { id: 's5', name: 'production-db' },
    ], log);
    const users = fakeManager('users', 9000, [{ id: 'u1', name: randomNameFor(OWNER, 'scenario') }], log);
    const report = await cleanupResources({ managers: [servers, users], admin: session('admin'), ownerId: OWNER, kinds: ['scenario'] });
    expect(report.deleted.map((t) => t.id)).toEqual(['s1', 's2', 'u1']);
    expect(log.filter((l) => l.startsWith('delete'))).toEqual(['delete servers s1', 'delete servers s2', 'delete users u1']);
    expect(report.failures).toEqual([]);
  });

  it('lists per project for tenant resources, per user otherwise, with the admin for admin-only managers', async () => {
    const log: string[] = [];
    const users: OpenStackUser[] = [
      { id: 'a', name: 'a', projectId: 'p1', session: session('user-a') },
      { id: 'b', name: 'b', projectId: 'p1', session: session('user-b') },
      { id: 'c', name: 'c', projectId: 'p2', session: session('user-c') },
    ];
    await cleanupResources({
      managers: [
        fakeManager('per-tenant', 1, [], log, { tenantResource: true }),
        fakeManager('per-user', 2, [], log),
        fakeManager('admin-only', 3, [], log, { performForAdminOnly: true }),
      ],
      admin: session('admin'),
      users,
      ownerId: OWNER,
      kinds: ['scenario'],
    });
    expect(log).toEqual([
      'list per-tenant as user-a',
      'list per-tenant as user-c',
      'list per-user as user-a',
      'list per-user as user-b',
      'list per-user as user-c',
      'list admin-only as admin',
    ]);
  });

  it('dry run deletes nothing; 404 on delete counts as deleted; failures are reported, not thrown', async () => {
    const log: string[] = [];
    const name = randomNameFor(OWNER, 'context');
    const gone = new OpenStackHttpError({ status: 404, method: 'DELETE', url: 'http://x/y', body: '' });
    const dry = await cleanupResources({ managers: [fakeManager('x', 1, [{ id: '1', name }], log)], admin: session('admin'), kinds: ['context'], dryRun: true });
    expect(dry.wouldDelete.map((t) => t.id)).toEqual(['1']);
    expect(log.some((l) => l.startsWith('delete'))).toBe(false);

    let attempts = 0;
    const report = await cleanupResources({
      managers: [
        fakeManager('already-gone', 1, [{ id: 'g', name }], log, { delete: async () => Promise.reject(gone) }),
        fakeManager('stuck', 2, [{ id: 's', name }], log, {
          delete: async () => {
            attempts++;
            throw new Error('busy');
          },
        }),
        fakeManager('slow', 3, [{ id: 'w', name }], log, { isDeleted: async () => false, timeoutSeconds: 0.05, intervalSeconds: 0.01 }),
      ],
      admin: session('admin'),
      kinds: ['context'],
      sleep: async () => undefined,
    });
    expect(report.deleted.map((t) => t.id)).toEqual(['g']);
    expect(attempts).toBe(3);
    expect(report.failures).toHaveLength(2);
    expect(report.failures[0]).toMatch(/fake\.stuck s .*max retries exceeded.*busy/);
    expect(report.failures[1]).toMatch(/fake\.slow w .*timeout/);
  });
});
