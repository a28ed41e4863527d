/**
 * What the NovaServers.* scenarios share: `image`/`flavor` resource arguments, Rally's **kwargs
 * passed on to the boot request, and booting the iteration user's server with them.
 */
import type { ScenarioContext } from '../../../engine/scenario.js';
import type { OpenStackSession } from '../../../openstack/index.js';
import { randomName } from '../names.js';
import { scenarioUser } from '../scenario-base.js';
import { RESOURCE_SPEC_SCHEMA, scenarioFlavor, scenarioImage, type ResourceSpec } from './resource-types.js';
import { BOOT_OPTIONS_SCHEMA, bootServer, chooseNics, type BootOptions, type ServerRef } from './service.js';

/** JSON schema of a server scenario: `resources` are resource-spec arguments, the rest is `own`; anything else goes to the boot request (**kwargs). */
export function serverScenarioSchema(resources: string[], own: Record<string, unknown> = {}, required: string[] = resources): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      ...Object.fromEntries(resources.map((name) => [name, RESOURCE_SPEC_SCHEMA])),
      ...BOOT_OPTIONS_SCHEMA,
      ...own,
    },
    required,
    additionalProperties: true,
  };
}

/** Removes the scenario's own arguments, leaving the boot request's kwargs. */
export function bootKwargs(args: Record<string, unknown>, own: readonly string[]): BootOptions {
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) if (!own.includes(key)) kwargs[key] = value;
  return kwargs as BootOptions;
}

export interface BootedServer {
  server: ServerRef;
  session: OpenStackSession;
  flavorId: string;
}

/** Rally's _boot_server for the iteration's user: random name, networks like Rally's, ACTIVE. */
export async function bootUserServer(ctx: ScenarioContext, image: ResourceSpec | string, flavor: ResourceSpec | string, kwargs: BootOptions, autoAssignNic = false): Promise<BootedServer> {
  const { session, tenant } = scenarioUser(ctx);
  const imageId = typeof image === 'string' ? image : await scenarioImage(ctx, image);
  const flavorId = typeof flavor === 'string' ? flavor : await scenarioFlavor(ctx, flavor);
  const nics = chooseNics(kwargs, tenant, ctx.iteration, autoAssignNic);
  const options: BootOptions = { ...kwargs };
  delete options.nics;
  if (nics !== undefined) options.nics = nics;
  const server = await bootServer(ctx, session, randomName(ctx, 'scenario'), imageId, flavorId, options);
  return { server, session, flavorId };
}
