/** Rally's OpenStackContext._iterate_per_tenants: each project of the users context once, with its first user. */
import type { ContextData } from '../../../engine/scenario.js';
import type { OpenStackTenant, OpenStackUser } from '../platform.js';

export function usersPerTenant(data: Readonly<ContextData>): Array<{ user: OpenStackUser; tenant: OpenStackTenant }> {
  const tenants = data.tenants ?? {};
  const seen = new Set<string>();
  const pairs: Array<{ user: OpenStackUser; tenant: OpenStackTenant }> = [];
  for (const user of data.users ?? []) {
    const tenant = tenants[user.projectId];
    if (!tenant || seen.has(tenant.id)) continue;
    seen.add(tenant.id);
    pairs.push({ user, tenant });
  }
  return pairs;
}
