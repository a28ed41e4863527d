/** NovaServers.boot_and_get_console_output: boot a server and read its console output. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { getConsoleOutput } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'length'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; length?: number | null }>({
  name: 'NovaServers.boot_and_get_console_output',
  description: 'Get text console output from server.',
  schema: serverScenarioSchema(['image', 'flavor'], { length: { type: ['integer', 'null'] } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await getConsoleOutput(ctx, session, server, args.length ?? undefined);
  },
});
