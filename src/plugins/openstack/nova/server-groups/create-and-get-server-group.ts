/** NovaServerGroups.create_and_get_server_group: create a server group, then get it. */
import { RallyException } from '../../../../engine/exceptions.js';
import { randomName } from '../../names.js';
import { registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createServerGroup, getServerGroup, SERVER_GROUP_ARGS_SCHEMA, serverGroupRequest, type ServerGroupArgs } from '../server-groups.js';

registerOpenStackScenario<ServerGroupArgs>({
  name: 'NovaServerGroups.create_and_get_server_group',
  description: 'Create a server group, then get its detailed information.',
  schema: { type: 'object', properties: SERVER_GROUP_ARGS_SCHEMA, additionalProperties: false },
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session } = scenarioUser(ctx);
    const group = await createServerGroup(ctx, session, randomName(ctx, 'scenario'), serverGroupRequest(args));
    const fetched = await getServerGroup(ctx, session, group.id);
    if (fetched.id !== group.id) throw new RallyException(`${group.id} != ${fetched.id}`, 'AssertionError');
  },
});
