/** NovaServers.boot_and_delete_server: boot, idle min_sleep..max_sleep, delete. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { deleteServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'min_sleep', 'max_sleep', 'force_delete'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; min_sleep?: number; max_sleep?: number; force_delete?: boolean }>({
  name: 'NovaServers.boot_and_delete_server',
  description: 'Boot and delete a server.',
  schema: serverScenarioSchema(['image', 'flavor'], { min_sleep: { type: 'number', minimum: 0 }, max_sleep: { type: 'number', minimum: 0 }, force_delete: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await ctx.sleepBetween(args.min_sleep ?? 0, args.max_sleep ?? 0);
    await deleteServer(ctx, session, server, args.force_delete ?? false);
  },
});
