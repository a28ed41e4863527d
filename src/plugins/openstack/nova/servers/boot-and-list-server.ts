/** NovaServers.boot_and_list_server: boot a server, list servers and find it. */
import { RallyException } from '../../../../engine/exceptions.js';
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { listServers } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'detailed'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; detailed?: boolean }>({
  name: 'NovaServers.boot_and_list_server',
  description: 'Boot a server from an image and then list all servers.',
  schema: serverScenarioSchema(['image', 'flavor'], { detailed: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    const servers = await listServers(ctx, session, args.detailed ?? true);
    if (!servers.some((listed) => listed.id === server.id)) {
      throw new RallyException(`Server not included into list of available servers\nBooted server: ${server.id}`, 'AssertionError');
    }
  },
});
