/** NovaServers.boot_and_update_server: boot a server, then give it a new name (and description). */
import { randomName } from '../../names.js';
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { updateServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'description'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; description?: string | null }>({
  name: 'NovaServers.boot_and_update_server',
  description: "Boot a server, then update its name and description.",
  schema: serverScenarioSchema(['image', 'flavor'], { description: { type: ['string', 'null'] } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await updateServer(ctx, session, server, randomName(ctx, 'scenario'), args.description ?? undefined);
  },
});
