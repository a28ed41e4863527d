/** Shared bits of the KeystoneBasic.* scenarios (Rally's KeystoneBasic base class). */
import type { ScenarioContext } from '../../../engine/scenario.js';
import { adminSession, scenarioUser } from '../scenario-base.js';
import { KeystoneService } from './keystone-service.js';

/** Most KeystoneBasic scenarios: cleanup of what an iteration left (names s_rally_<owner>_...). */
export const ADMIN_KEYSTONE_CLEANUP = { admin_cleanup: ['keystone'] };
export const USER_KEYSTONE_CLEANUP = { cleanup: ['keystone'] };

/** Rally's self.admin_keystone */
export function adminKeystone(ctx: ScenarioContext): KeystoneService {
  return new KeystoneService(ctx, adminSession(ctx));
}

/** Rally's self.keystone: the iteration's user */
export function userKeystone(ctx: ScenarioContext): KeystoneService {
  return new KeystoneService(ctx, scenarioUser(ctx).session);
}

/** Rally accepts create_user's keyword arguments in several scenarios. */
export const createUserArgProperties = {
  username: { type: 'string' },
  password: { type: 'string' },
  project_id: { type: 'string' },
  domain_name: { type: 'string' },
  enabled: { type: 'boolean' },
  default_role: { type: 'string' },
};

/** Ignored deprecated argument (Rally logs "The 'name_length' argument ... is ignored"). */
export const nameLengthProperty = { name_length: { type: ['integer', 'null'], description: 'ignored (deprecated)' } };

export const createProjectArgProperties = {
  project_name: { type: 'string' },
  domain_name: { type: 'string' },
};
