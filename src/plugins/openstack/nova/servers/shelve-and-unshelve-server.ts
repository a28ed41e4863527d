/** NovaServers.shelve_and_unshelve_server: Create a server, shelve, unshelve and then delete it. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { deleteServer, shelveServer, unshelveServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'force_delete'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; force_delete?: boolean }>({
  name: 'NovaServers.shelve_and_unshelve_server',
  description: 'Create a server, shelve, unshelve and then delete it.',
  schema: serverScenarioSchema(['image', 'flavor'], { force_delete: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await shelveServer(ctx, session, server);
    await unshelveServer(ctx, session, server);
    await deleteServer(ctx, session, server, args.force_delete ?? false);
  },
});
