/** NovaServers.suspend_and_resume_server: Create a server, suspend, resume and then delete it. */
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import { deleteServer, suspendServer, resumeServer } from '../service.js';
import { registerOpenStackScenario } from '../../scenario-base.js';

const OWN = ['image', 'flavor', 'force_delete'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; force_delete?: boolean }>({
  name: 'NovaServers.suspend_and_resume_server',
  description: 'Create a server, suspend, resume and then delete it.',
  schema: serverScenarioSchema(['image', 'flavor'], { force_delete: { type: 'boolean' } }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    await suspendServer(ctx, session, server);
    await resumeServer(ctx, session, server);
    await deleteServer(ctx, session, server, args.force_delete ?? false);
  },
});
