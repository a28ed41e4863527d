/** Nova server group calls with Rally's atomic action names (NovaScenario._create_server_group ...). */
import { compute } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import type { Actor } from '../glance/actor.js';

/** The NovaServerGroups.* arguments: `policies`, or the deprecated `kwargs` passed as is. */
export interface ServerGroupArgs {
  policies?: string[] | null;
  kwargs?: Record<string, unknown> | null;
}

export const SERVER_GROUP_ARGS_SCHEMA = {
  policies: { type: ['array', 'null'], items: { type: 'string' } },
  kwargs: { type: ['object', 'null'] },
} as const;

/** Rally's run(): `kwargs` when given, else {policies}. */
export function serverGroupRequest(args: ServerGroupArgs): { policies?: string[]; policy?: string; rules?: Record<string, unknown> } {
  if (args.kwargs) return args.kwargs as { policies?: string[] };
  return args.policies ? { policies: args.policies } : {};
}

export function createServerGroup(actor: Actor, session: OpenStackSession, name: string, request: ReturnType<typeof serverGroupRequest>): Promise<compute.ServerGroup> {
  return actor.atomic('nova.create_server_group', () => compute.createServerGroup(session, { name, ...request }, { signal: actor.signal }));
}

export function getServerGroup(actor: Actor, session: OpenStackSession, groupId: string): Promise<compute.ServerGroup> {
  return actor.atomic('nova.get_server_group', () => compute.getServerGroup(session, groupId, { signal: actor.signal }));
}

/** nova.list_server_groups; all_projects lists as the admin. */
export function listServerGroups(actor: Actor, session: OpenStackSession, allProjects: boolean): Promise<compute.ServerGroup[]> {
  return actor.atomic('nova.list_server_groups', () =>
    compute.listServerGroups(session, { ...(allProjects ? { query: { all_projects: 'True' } } : {}), signal: actor.signal }),
  );
}

export function deleteServerGroup(actor: Actor, session: OpenStackSession, groupId: string): Promise<void> {
  return actor.atomic('nova.delete_server_group', () => compute.deleteServerGroup(session, groupId, { signal: actor.signal }));
}
