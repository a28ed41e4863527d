/**
 * Rally's random resource names (rally/common/utils.py RandomNameGeneratorMixin): scenarios name
 * what they create "s_rally_XXXXXXXX_XXXXXXXX", contexts "c_rally_XXXXXXXX_XXXXXXXX". The first
 * block is the owner id (the workload uuid, Rally's context["owner_id"]) without dashes, cut to 8
 * characters, so everything one workload made can be found again by name; the second is random.
 */
import { randomInt } from 'node:crypto';
import type { WorkloadInfo } from '../../engine/scenario.js';

export type NameKind = 'scenario' | 'context';

const ALLOWED_CHARACTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PART_LENGTH = 8;
const PREFIX: Record<NameKind, string> = { scenario: 's_rally_', context: 'c_rally_' };

/** The owner block of a name: the owner id without dashes, first 8 characters. */
export function ownerPart(ownerId: string): string {
  const part = ownerId.replace(/-/g, '').slice(0, PART_LENGTH);
  if (part.length === PART_LENGTH && [...part].every((c) => ALLOWED_CHARACTERS.includes(c))) return part;
  // Rally then draws 8 characters from a pRNG seeded with the id; any stable function of the id
  // keeps the property that matters (same owner -> same block), so use a simple string hash.
  let hash = 2166136261;
  let out = '';
  for (let i = 0; i < PART_LENGTH; i++) {
    for (const c of `${ownerId}#${i}`) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0;
    out += ALLOWED_CHARACTERS[hash % ALLOWED_CHARACTERS.length];
  }
  return out;
}

function randomPart(): string {
  let out = '';
  for (let i = 0; i < PART_LENGTH; i++) out += ALLOWED_CHARACTERS[randomInt(ALLOWED_CHARACTERS.length)];
  return out;
}

/** A name like Rally's generate_random_name() for the workload of a scenario iteration or a context. */
export function randomName(owner: { readonly workload: WorkloadInfo }, kind: NameKind): string {
  return randomNameFor(owner.workload.workloadUuid, kind);
}

/** randomName() for an explicit owner id. */
export function randomNameFor(ownerId: string, kind: NameKind): string {
  return `${PREFIX[kind]}${ownerPart(ownerId)}_${randomPart()}`;
}

export interface NameMatchOptions {
  /** only names made for this owner (workload uuid); any owner when absent */
  ownerId?: string;
  /** which kinds; both when absent */
  kinds?: readonly NameKind[];
  /**
   * exact (default true): nothing may follow the name; false lets e.g. Nova's "-1" suffixes of
   * servers booted in bulk match (Rally's name_matches_object(exact=False), used by cleanup).
   */
  exact?: boolean;
}

/** Whether `name` could have been made by randomName() (Rally's name_matches_object). */
export function nameMatchesRally(name: string, ownerIdOrOptions?: string | NameMatchOptions): boolean {
  const options: NameMatchOptions =
    typeof ownerIdOrOptions === 'string' ? { ownerId: ownerIdOrOptions } : (ownerIdOrOptions ?? {});
  const owner = options.ownerId !== undefined ? ownerPart(options.ownerId) : `[A-Za-z0-9]{${PART_LENGTH}}`;
  const kinds = options.kinds ?? (['scenario', 'context'] as const);
  const extra = options.exact === false ? '.*' : '';
  return kinds.some((kind) => new RegExp(`^${PREFIX[kind]}${owner}_[A-Za-z0-9]{${PART_LENGTH}}${extra}$`, 's').test(name));
}
