/** What the Cinder scenarios share (rally_openstack/task/scenarios/cinder/utils.py CinderBasic). */
import type { ScenarioContext } from '../../../engine/scenario.js';
import { RallyException } from '../../../engine/exceptions.js';
import type { Volume } from '../../../openstack/block-storage.js';
import { randomName } from '../names.js';
import { adminSession, scenarioUser } from '../scenario-base.js';
import { CinderService } from './service.js';

export function userCinder(ctx: ScenarioContext, version: '2' | '3' = '3'): CinderService {
  return new CinderService(
    { session: scenarioUser(ctx).session, atomic: (n, fn) => ctx.atomic(n, fn), randomName: () => randomName(ctx, 'scenario'), signal: ctx.signal, random: () => ctx.random() },
    version,
  );
}

export function adminCinder(ctx: ScenarioContext, version: '2' | '3' = '3'): CinderService {
  return new CinderService(
    { session: adminSession(ctx), atomic: (n, fn) => ctx.atomic(n, fn), randomName: () => randomName(ctx, 'scenario'), signal: ctx.signal, random: () => ctx.random() },
    version,
  );
}

/** Rally's size arg: an int or {min, max}. */
export const SIZE_SCHEMA = {
  oneOf: [
    { type: 'integer', minimum: 1 },
    { type: 'object', properties: { min: { type: 'integer', minimum: 1 }, max: { type: 'integer', minimum: 1 } }, required: ['min', 'max'], additionalProperties: false },
  ],
} as const;

/** Volumes from images need Glance image conversion, which rally-gate's Cinder plugins do not do yet. */
export function refuseImage(image: unknown): void {
  if (image !== undefined && image !== null) {
    throw new RallyException('rally-gate does not create volumes from images yet (the image argument)', 'NotImplementedError');
  }
}

/** random.choice of the project's context volumes (the `volumes` context). */
export function contextVolume(ctx: ScenarioContext): Volume {
  const volumes = scenarioUser(ctx).tenant['volumes'] as Volume[] | undefined;
  if (!volumes || volumes.length === 0) throw new RallyException(`${ctx.workload.scenarioName} needs the volumes context`);
  return volumes[Math.floor(ctx.random() * volumes.length)]!;
}

export const CINDER_CLEANUP = { cleanup: ['cinder'] };
export const CINDER_ADMIN_CLEANUP = { admin_cleanup: ['cinder'] };
