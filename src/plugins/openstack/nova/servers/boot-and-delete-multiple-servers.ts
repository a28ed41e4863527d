/** NovaServers.boot_and_delete_multiple_servers: boot `count` servers in one request, then delete them all. */
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { bootKwargs, serverScenarioSchema } from '../boot-args.js';
import { scenarioFlavor, scenarioImage, type ResourceSpec } from '../resource-types.js';
import { bootServers, chooseNics, deleteServers, type BootOptions } from '../service.js';

const OWN = ['image', 'flavor', 'count', 'min_sleep', 'max_sleep', 'force_delete', 'auto_assign_nic'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; count?: number; min_sleep?: number; max_sleep?: number; force_delete?: boolean; auto_assign_nic?: boolean }>({
  name: 'NovaServers.boot_and_delete_multiple_servers',
  description: 'Boot multiple servers in a single request and delete them.',
  schema: serverScenarioSchema(['image', 'flavor'], {
    count: { type: 'integer', minimum: 1 },
    min_sleep: { type: 'number', minimum: 0 },
    max_sleep: { type: 'number', minimum: 0 },
    force_delete: { type: 'boolean' },
  }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session, tenant } = scenarioUser(ctx);
    const [imageId, flavorId] = await Promise.all([scenarioImage(ctx, args.image), scenarioFlavor(ctx, args.flavor)]);
    const kwargs = bootKwargs(args, OWN);
    // _boot_servers sets nics only from explicit nics or auto_assign_nic
    const nics = chooseNics(kwargs, tenant, ctx.iteration, args.auto_assign_nic ?? false);
    const options: BootOptions = { ...kwargs };
    if (Array.isArray(nics) && (kwargs.nics !== undefined || args.auto_assign_nic)) options.nics = nics;
    const servers = await bootServers(ctx, session, randomName(ctx, 'scenario'), imageId, flavorId, 1, args.count ?? 2, options);
    await ctx.sleepBetween(args.min_sleep ?? 0, args.max_sleep ?? 0);
    await deleteServers(ctx, session, servers, args.force_delete ?? false);
  },
});
