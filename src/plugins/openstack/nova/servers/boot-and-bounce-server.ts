/**
 * NovaServers.boot_and_bounce_server: boot a server, run the listed actions in order (each as many
 * times as given), delete it. Actions and their atomic names are Rally's _bind_actions.
 */
import type { OpenStackSession } from '../../../../openstack/index.js';
import type { Actor } from '../../glance/actor.js';
import { registerOpenStackScenario } from '../../scenario-base.js';
import { bootKwargs, bootUserServer, serverScenarioSchema } from '../boot-args.js';
import type { ResourceSpec } from '../resource-types.js';
import * as nova from '../service.js';

type ServerAction = (actor: Actor, session: OpenStackSession, server: nova.ServerRef) => Promise<void>;

/** Two actions as one atomic action around both (e.g. nova.stop_and_start_server). */
function pair(atomicName: string, first: ServerAction, second: ServerAction): ServerAction {
  return (actor, session, server) =>
    actor.atomic(atomicName, async () => {
      await first(actor, session, server);
      await second(actor, session, server);
    });
}

export const BOUNCE_ACTIONS: Record<string, ServerAction> = {
  hard_reboot: nova.rebootServer,
  soft_reboot: nova.softRebootServer,
  stop_start: pair('nova.stop_and_start_server', nova.stopServer, nova.startServer),
  rescue_unrescue: pair('nova.rescue_and_unrescue_server', nova.rescueServer, nova.unrescueServer),
  pause_unpause: pair('nova.pause_and_unpause_server', nova.pauseServer, nova.unpauseServer),
  suspend_resume: pair('nova.suspend_and_resume_server', nova.suspendServer, nova.resumeServer),
  lock_unlock: pair('nova.lock_and_unlock_server', nova.lockServer, nova.unlockServer),
  shelve_unshelve: pair('nova.shelve_and_unshelve_server', nova.shelveServer, nova.unshelveServer),
};

const OWN = ['image', 'flavor', 'force_delete', 'actions'] as const;

registerOpenStackScenario<{ image: ResourceSpec; flavor: ResourceSpec; force_delete?: boolean; actions?: Array<Record<string, number>> | null }>({
  name: 'NovaServers.boot_and_bounce_server',
  description: 'Boot a server and run specified actions against it.',
  schema: serverScenarioSchema(['image', 'flavor'], {
    force_delete: { type: 'boolean' },
    // Rally's ActionBuilder schema: a list of {action: times}
    actions: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        properties: Object.fromEntries(Object.keys(BOUNCE_ACTIONS).map((name) => [name, { type: 'integer', minimum: 0 }])),
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
      },
    },
  }),
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { server, session } = await bootUserServer(ctx, args.image, args.flavor, bootKwargs(args, OWN));
    for (const entry of args.actions ?? []) {
      for (const [name, times] of Object.entries(entry)) {
        for (let i = 0; i < times; i++) await BOUNCE_ACTIONS[name]!(ctx, session, server);
      }
    }
    await nova.deleteServer(ctx, session, server, args.force_delete ?? false);
  },
});
