/** NovaServers.snapshot_server: boot, snapshot, delete; boot from the snapshot, delete it and the snapshot. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { deleteServer, deleteSnapshotImage, snapshotServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'force_delete'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; force_delete?: boolean }>({
  name: 'NovaServers.snapshot_server',
  description: 'Boot a server, make its snapshot and delete both.',
  schema: serverScenarioSchema(['image', 'flavor'], { force_delete: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova', 'glance'] },
  async run(ctx, args) {
    const kwargs = bootKwargs(args, OWN);
    const first = await bootUserServer(ctx, args.image, args.flavor, kwargs);
    const snapshot = await snapshotServer(ctx, first.session, first.server);
    await deleteServer(ctx, first.session, first.server, args.force_delete ?? false);
    const second = await bootUserServer(ctx, snapshot.id, first.flavorId, kwargs);
    await deleteServer(ctx, second.session, second.server, args.force_delete ?? false);
    await deleteSnapshotImage(ctx, first.session, snapshot);
  },
});
