/**
 * What every OpenStack scenario needs from Rally's OpenStackScenario (rally_openstack/task/scenario.py):
 * the iteration's user and project, picked from the `users` context like _choose_user() does, and
 * the admin's session.
 */
import { InfraError } from '../../common/errors.js';
import { registerScenario, type ContextData, type ScenarioContext, type ScenarioPlugin } from '../../engine/scenario.js';
import { EndpointNotFound, type OpenStackSession, type ServiceType } from '../../openstack/index.js';
import type { OpenStackTenant, OpenStackUser } from './platform.js';

export interface ScenarioUser {
  user: OpenStackUser;
  tenant: OpenStackTenant;
  session: OpenStackSession;
}

/**
 * Rally's _choose_user(): "random" picks any user (random.choice); "round_robin" walks the
 * projects in sorted id order, iteration i -> project (i-1) % nProjects, and within it user
 * floor((i-1) / nProjects) % nUsers. Pure, for tests: `random` is uniform [0, 1).
 */
export function chooseUser(context: Readonly<ContextData>, iteration: number, random: () => number): { user: OpenStackUser; tenant: OpenStackTenant } {
  const users = context.users ?? [];
  const tenants = context.tenants ?? {};
  if (users.length === 0) throw new InfraError('this scenario needs users: the users context made none');
  if ((context.user_choice_method ?? 'random') === 'random') {
    const user = users[Math.floor(random() * users.length)]!;
    const tenant = tenants[user.projectId];
    if (!tenant) throw new InfraError(`user ${user.name} belongs to no project of the users context`);
    return { user, tenant };
  }
  const tenantIds = Object.keys(tenants).sort();
  const index = iteration - 1;
  const tenant = tenants[tenantIds[index % tenantIds.length]!]!;
  const tenantUsers = tenant.userIds
    .map((id) => users.find((u) => u.id === id))
    .filter((u): u is OpenStackUser => u !== undefined);
  if (tenantUsers.length === 0) throw new InfraError(`project ${tenant.name} has no users`);
  const user = tenantUsers[Math.floor(index / tenantIds.length) % tenantUsers.length]!;
  return { user, tenant };
}

// One choice per iteration, however many times a scenario asks (Rally stores context["user"]).
const choices = new WeakMap<ScenarioContext, ScenarioUser>();

/** The iteration's user, its project and its session (the same for the whole iteration). */
export function scenarioUser(ctx: ScenarioContext): ScenarioUser {
  const known = choices.get(ctx);
  if (known) return known;
  const { user, tenant } = chooseUser(ctx.context, ctx.iteration, () => ctx.random());
  const choice = { user, tenant, session: user.session };
  choices.set(ctx, choice);
  return choice;
}

/** The admin's session; scenarios that need an admin fail clearly without one. */
export function adminSession(ctx: ScenarioContext): OpenStackSession {
  const admin = ctx.context.admin;
  if (!admin) throw new InfraError(`${ctx.workload.scenarioName} needs an admin credential (existing users only were given)`);
  return admin.session;
}

/** Whether the session's catalog lists `service` (EndpointNotFound -> false; other errors propagate). */
export async function serviceAvailable(session: OpenStackSession, service: ServiceType, signal?: AbortSignal): Promise<boolean> {
  try {
    await session.endpoint(service, signal);
    return true;
  } catch (error) {
    if (error instanceof EndpointNotFound) return false;
    throw error;
  }
}

/**
 * Runs `work` on every item with at most `workers` at a time (Rally's broker.run with N threads).
 * Every item is attempted; the first error is thrown once all have settled.
 */
export async function forEachConcurrently<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let firstError: unknown;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, items.length)) }, worker));
  if (failed) throw firstError;
}

/**
 * Registers an OpenStack scenario like Rally's OpenStackScenario does: platform "openstack" and
 * the default context users@openstack {} (Rally's add_default_context on the base class, so every
 * OpenStack workload gets a project and a user unless its task configures `users`), merged under
 * the scenario's own defaults (e.g. `{ cleanup: ['nova'] }`).
 */
export function registerOpenStackScenario<Args>(
  spec: Omit<ScenarioPlugin<Args>, 'kind' | 'platform'>,
): ScenarioPlugin<Args> {
  return registerScenario<Args>({ ...spec, platform: 'openstack', defaultContexts: { users: {}, ...spec.defaultContexts } });
}
