/** NovaServers.boot_and_rebuild_server: boot from one image, rebuild with another, delete. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import { scenarioImage, type ResourceSpec } from '../resource-types.js';
import { deleteServer, rebuildServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['from_image', 'to_image', 'flavor'] as const;

registerOpenStackScenario<{ from_image: ResourceSpec; to_image: ResourceSpec; flavor: ResourceSpec }>({
  name: 'NovaServers.boot_and_rebuild_server',
  description: 'Rebuild a server.',
  schema: serverScenarioSchema(['from_image', 'to_image', 'flavor']),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const toImage = await scenarioImage(ctx, args.to_image);
    const { server, session } = await bootUserServer(ctx, args.from_image, args.flavor, bootKwargs(args, OWN));
    await rebuildServer(ctx, session, server, toImage);
    await deleteServer(ctx, session, server);
  },
});
