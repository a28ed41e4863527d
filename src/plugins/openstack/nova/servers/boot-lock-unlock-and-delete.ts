/** NovaServers.boot_lock_unlock_and_delete: boot, lock, idle, unlock, delete. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { deleteServer, lockServer, unlockServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'min_sleep', 'max_sleep', 'force_delete'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; min_sleep?: number; max_sleep?: number; force_delete?: boolean }>({
  name: 'NovaServers.boot_lock_unlock_and_delete',
  description: 'Boot a server, lock it, then unlock and delete it.',
  schema: serverScenarioSchema(['image', 'flavor'], { min_sleep: { type: 'number', minimum: 0 }, max_sleep: { type: 'number', minimum: 0 }, force_delete: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await lockServer(ctx, session, server);
    await ctx.sleepBetween(args.min_sleep ?? 0, args.max_sleep ?? 0);
    await unlockServer(ctx, session, server);
    await deleteServer(ctx, session, server, args.force_delete ?? false);
  },
});
