/** NovaServers.resize_shutoff_server: boot, stop, resize, confirm or revert (staying SHUTOFF), delete. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import { scenarioFlavor, type ResourceSpec } from '../resource-types.js';
import { confirmResize, deleteServer, resizeServer, revertResize, stopServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'to_flavor', 'force_delete', 'confirm'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; to_flavor: ResourceSpec; force_delete?: boolean; confirm?: boolean }>({
  name: 'NovaServers.resize_shutoff_server',
  description: 'Boot a server and stop it, then resize and delete it.',
  schema: serverScenarioSchema(['image', 'flavor', 'to_flavor'], { force_delete: { type: 'boolean' }, confirm: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const toFlavor = await scenarioFlavor(ctx, args.to_flavor);
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await stopServer(ctx, session, server);
    await resizeServer(ctx, session, server, toFlavor);
    if (args.confirm ?? true) await confirmResize(ctx, session, server, 'SHUTOFF');
    else await revertResize(ctx, session, server, 'SHUTOFF');
    await deleteServer(ctx, session, server, args.force_delete ?? false);
  },
});
