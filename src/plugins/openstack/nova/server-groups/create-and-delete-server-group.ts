/** NovaServerGroups.create_and_delete_server_group: create a server group, then delete it. */
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createServerGroup, deleteServerGroup, SERVER_GROUP_ARGS_SCHEMA, serverGroupRequest, type ServerGroupArgs } from '../server-groups.js';

registerOpenStackScenario<ServerGroupArgs>({
  name: 'NovaServerGroups.create_and_delete_server_group',
  description: 'Create a server group, then delete it.',
  schema: { type: 'object', properties: SERVER_GROUP_ARGS_SCHEMA, additionalProperties: false },
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session } = scenarioUser(ctx);
    const group = await createServerGroup(ctx, session, randomName(ctx, 'scenario'), serverGroupRequest(args));
    await deleteServerGroup(ctx, session, group.id);
  },
});
