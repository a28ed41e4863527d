import { describe, expect, it } from 'vitest';
import { nameMatchesRally, ownerPart, randomName, randomNameFor } from '../../../../src/plugins/openstack/names.js';
import type { WorkloadInfo } from '../../../../src/engine/scenario.js';

const workload = { workloadUuid: '3f2a9c1e-0b7d-4e55-8a2f-9d1c2b3a4e5f' } as WorkloadInfo;

describe('Rally random names', () => {
  it('use the owner id (dashes removed, 8 chars) then 8 random alphanumerics', () => {
    expect(randomName({ workload }, 'scenario')).toMatch(/^s_rally_3f2a9c1e_[A-Za-z0-9]{8}$/);
    expect(randomName({ workload }, 'context')).toMatch(/^c_rally_3f2a9c1e_[A-Za-z0-9]{8}$/);
    expect(randomNameFor('ab-cd-ef-gh-ij', 'scenario')).toMatch(/^s_rally_abcdefgh_/);
  });

  it('give a stable substitute block for owner ids too short or with other characters', () => {
    expect(ownerPart('abc')).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(ownerPart('abc')).toBe(ownerPart('abc'));
    expect(ownerPart('a_b_c_d_e_f_g_h')).toMatch(/^[A-Za-z0-9]{8}$/);
  });

  it('are recognised like name_matches_object', () => {
    const name = randomName({ workload }, 'context');
    expect(nameMatchesRally(name)).toBe(true);
    expect(nameMatchesRally(name, workload.workloadUuid)).toBe(true);
    expect(nameMatchesRally(name, '00000000-0000-0000-0000-000000000000')).toBe(false);
    expect(nameMatchesRally(name, { kinds: ['scenario'] })).toBe(false);
    expect(nameMatchesRally(`${name}-1`)).toBe(false);
    expect(nameMatchesRally(`${name}-1`, { exact: false })).toBe(true);
    expect(nameMatchesRally('rally_3f2a9c1e_abcdefgh')).toBe(false);
    expect(nameMatchesRally('s_rally_3f2a9c1e_abcdefg')).toBe(false);
    expect(nameMatchesRally('admin')).toBe(false);
  });
});
