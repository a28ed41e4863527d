/** NovaServers.boot_and_show_server: boot a server and show its details. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { showServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec }>({
  name: 'NovaServers.boot_and_show_server',
  description: 'Show server details.',
  schema: serverScenarioSchema(['image', 'flavor']),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await showServer(ctx, session, server);
  },
});
