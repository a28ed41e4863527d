import { describe, expect, it } from 'vitest';
import { chooseUser } from '../../../../src/plugins/openstack/scenario-base.js';
import type { ContextData } from '../../../../src/engine/scenario.js';
import type { OpenStackUser } from '../../../../src/plugins/openstack/platform.js';

function context(method: 'random' | 'round_robin'): ContextData {
  const user = (id: string, projectId: string) => ({ id, name: id, projectId, session: {} }) as unknown as OpenStackUser;
  return {
    user_choice_method: method,
    // project ids deliberately not in sorted order
    users: [user('u1', 'p2'), user('u2', 'p2'), user('u3', 'p1'), user('u4', 'p1')],
    tenants: {
      p2: { id: 'p2', name: 'p2', userIds: ['u1', 'u2'] },
      p1: { id: 'p1', name: 'p1', userIds: ['u3', 'u4'] },
    },
  };
}

describe("Rally's _choose_user", () => {
  it('round_robin walks sorted projects, then users within them', () => {
    const picks = [1, 2, 3, 4, 5].map((i) => chooseUser(context('round_robin'), i, () => 0));
    expect(picks.map((p) => `${p.tenant.id}/${p.user.id}`)).toEqual(['p1/u3', 'p2/u1', 'p1/u4', 'p2/u2', 'p1/u3']);
  });

  it('random picks a user uniformly and its own project', () => {
    expect(chooseUser(context('random'), 1, () => 0).user.id).toBe('u1');
    expect(chooseUser(context('random'), 1, () => 0.99).user.id).toBe('u4');
    expect(chooseUser(context('random'), 1, () => 0.99).tenant.id).toBe('p1');
  });

  it('fails clearly without users', () => {
    expect(() => chooseUser({}, 1, () => 0)).toThrow(/needs users/);
  });
});
