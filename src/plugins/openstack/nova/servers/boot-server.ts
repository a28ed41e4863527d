/** NovaServers.boot_server: boot a server (left for the cleanup context, like Rally). */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'auto_assign_nic'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; auto_assign_nic?: boolean }>({
  name: 'NovaServers.boot_server',
  description: 'Boot a server.',
  schema: serverScenarioSchema(['image', 'flavor']),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN), args.auto_assign_nic ?? false);
  },
});
