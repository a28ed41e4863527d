/** A new session for the iteration's user: no cached token, as Rally's new client per iteration. */
import type { ScenarioContext } from '../../../engine/scenario.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import { scenarioPlatform } from '../platform.js';
import { scenarioUser } from '../scenario-base.js';

export function freshUserSession(ctx: ScenarioContext): OpenStackSession {
  return scenarioPlatform(ctx).cloud.session(scenarioUser(ctx).session.auth);
}
