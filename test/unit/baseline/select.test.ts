import { describe, expect, it } from 'vitest';
import { pickBaselineEntries } from '../../../src/baseline/select.js';
import type { BaselineIndexEntry } from '../../../src/baseline/types.js';

const entry = (id: string, commit: string, time: string, fingerprint = 'cloud-a'): BaselineIndexEntry => ({
  file: `runs/${id}.json`,
  id,
  commit,
  branch: 'main',
  time,
  fingerprint,
});

const entries = [
  entry('r1', 'c1', '2026-01-01T00:00:00Z'),
  entry('r2', 'c2', '2026-01-02T00:00:00Z'),
  entry('r3', 'c3', '2026-01-03T00:00:00Z'),
  entry('r3b', 'c3', '2026-01-03T06:00:00Z'),
  entry('r4', 'c4', '2026-01-04T00:00:00Z'), // after the merge base
  entry('x1', 'c2', '2026-01-05T00:00:00Z', 'cloud-b'), // another cloud
];

describe('pickBaselineEntries', () => {
  it('takes the last N runs at or before the merge base, newest first, on the same cloud only', () => {
    const { chosen, otherFingerprints } = pickBaselineEntries(entries, { fingerprint: 'cloud-a', count: 3, ancestors: ['c3', 'c2', 'c1'] });
    expect(chosen.map((e) => e.id)).toEqual(['r3b', 'r3', 'r2']);
    expect(otherFingerprints).toBe(1);
  });

  it('matches abbreviated commits and skips runs of commits outside the ancestry', () => {
    const abbreviated = [entry('s1', '0123456', '2026-01-01T00:00:00Z'), entry('s2', 'fedcba9', '2026-01-02T00:00:00Z')];
    const { chosen } = pickBaselineEntries(abbreviated, { fingerprint: 'cloud-a', count: 5, ancestors: ['0123456789abcdef0123456789abcdef01234567'] });
    expect(chosen.map((e) => e.id)).toEqual(['s1']);
  });

  it('falls back to the latest N by time without ancestry', () => {
    const { chosen } = pickBaselineEntries(entries, { fingerprint: 'cloud-a', count: 2 });
    expect(chosen.map((e) => e.id)).toEqual(['r4', 'r3b']);
    expect(pickBaselineEntries(entries, { fingerprint: 'cloud-c', count: 2 }).chosen).toEqual([]);
  });
});
