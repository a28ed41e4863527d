/**
 * Rally's resource types for scenario arguments (rally_openstack/task/types.py): `image` and
 * `flavor` given as {id} | {name} | {regex} become ids. A name is first matched exactly, then used
 * as a regular expression (re.search); several images matching a pattern -> the last by name,
 * several flavors -> an error (rally.task.types.obj_from_name). Like Rally, lookups use the admin
 * when there is one, else the first user.
 *
 * Rally resolves once before the iterations start; here the first iteration that needs a value
 * resolves it and the others of the workload share the result (one listing per workload).
 */
import type { ContextData, ScenarioContext } from '../../../engine/scenario.js';
import { RallyException } from '../../../engine/exceptions.js';
import { compute, image as glance } from '../../../openstack/index.js';
import type { OpenStackSession } from '../../../openstack/index.js';

export interface ResourceSpec {
  id?: string;
  name?: string;
  regex?: string;
  /** images only: filters of the listing (Rally's list_kwargs) */
  list_kwargs?: Record<string, string>;
}

export const RESOURCE_SPEC_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    regex: { type: 'string' },
    list_kwargs: { type: 'object' },
    accurate: { type: 'boolean' },
  },
} as const;

interface Named {
  id: string;
  name: string | null;
}

function invalidArgument(message: string): RallyException {
  return new RallyException(message, 'InvalidScenarioArgument');
}

/** Pure: the resource `spec` designates among `resources` (Rally's _find_resource / obj_from_name). */
export function findResource<T extends Named>(spec: ResourceSpec, resources: T[], typeName: string, lastOfMany: boolean): T {
  const title = typeName.charAt(0).toUpperCase() + typeName.slice(1);
  let pattern: string;
  if (spec.name !== undefined) {
    const exact = resources.filter((r) => r.name === spec.name);
    if (exact.length === 1) return exact[0]!;
    if (exact.length > 1) {
      throw invalidArgument(`${title} with name '${spec.name}' is ambiguous, possible matches by id: ${exact.map((r) => r.id).join(', ')}`);
    }
    pattern = spec.name;
  } else if (spec.regex !== undefined) {
    pattern = spec.regex;
  } else {
    throw invalidArgument(`${title} 'id', 'name', or 'regex' not found in '${JSON.stringify(spec)}' `);
  }
  const regex = new RegExp(pattern);
  const matching = resources.filter((r) => regex.test(r.name ?? ''));
  if (matching.length === 0) throw invalidArgument(`${title} with pattern '${pattern}' not found`);
  if (matching.length > 1) {
    if (lastOfMany) return [...matching].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0)).at(-1)!;
    throw invalidArgument(`${title} with name '${pattern}' is ambiguous, possible matches by id: ${matching.map((r) => r.id).join(', ')}`);
  }
  return matching[0]!;
}

/** The session Rally's resource types list with: the admin's, else the first user's. */
export function lookupSession(context: Readonly<ContextData>): OpenStackSession {
  const session = context.admin?.session ?? context.users?.[0]?.session;
  if (!session) throw new RallyException('no admin and no users to look resources up with', 'InvalidScenarioArgument');
  return session;
}

const resolved = new WeakMap<object, Map<string, Promise<string>>>();

function cached(context: Readonly<ContextData>, key: string, resolve: () => Promise<string>): Promise<string> {
  let byKey = resolved.get(context);
  if (!byKey) {
    byKey = new Map();
    resolved.set(context, byKey);
  }
  let value = byKey.get(key);
  if (!value) {
    value = resolve();
    // a failed lookup is retried by the next iteration rather than cached
    value.catch(() => byKey!.delete(key));
    byKey.set(key, value);
  }
  return value;
}

/** Glance image id for `spec` (Rally's glance_image type). */
export function resolveImage(context: Readonly<ContextData>, spec: ResourceSpec, signal?: AbortSignal): Promise<string> {
  if (spec.id) return Promise.resolve(spec.id);
  return cached(context, `image:${JSON.stringify(spec)}`, async () => {
    const images = await glance.listImages(lookupSession(context), { query: { status: 'active', ...spec.list_kwargs }, ...(signal ? { signal } : {}) });
    return findResource(spec, images, 'image', true).id;
  });
}

/** Nova flavor id for `spec` (Rally's nova_flavor type). */
export function resolveFlavor(context: Readonly<ContextData>, spec: ResourceSpec, signal?: AbortSignal): Promise<string> {
  if (spec.id) return Promise.resolve(spec.id);
  return cached(context, `flavor:${JSON.stringify(spec)}`, async () => {
    const flavors = await compute.listFlavors(lookupSession(context), signal ? { signal } : {});
    return findResource(spec, flavors, 'flavor', false).id;
  });
}

/** Convenience for scenarios. */
export function scenarioImage(ctx: ScenarioContext, spec: ResourceSpec): Promise<string> {
  return resolveImage(ctx.context, spec, ctx.signal);
}

export function scenarioFlavor(ctx: ScenarioContext, spec: ResourceSpec): Promise<string> {
  return resolveFlavor(ctx.context, spec, ctx.signal);
}
