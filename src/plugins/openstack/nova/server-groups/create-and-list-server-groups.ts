/** NovaServerGroups.create_and_list_server_groups: create a server group, list groups and find it. */
import { RallyException } from '../../../../engine/exceptions.js';
import { randomName } from '../../names.js';
import { adminSession, registerOpenStackScenario, scenarioUser } from '../../scenario-base.js';
import { createServerGroup, listServerGroups, SERVER_GROUP_ARGS_SCHEMA, serverGroupRequest, type ServerGroupArgs } from '../server-groups.js';

registerOpenStackScenario<ServerGroupArgs & { all_projects?: boolean }>({
  name: 'NovaServerGroups.create_and_list_server_groups',
  description: 'Create a server group, then list all server groups.',
  schema: { type: 'object', properties: { ...SERVER_GROUP_ARGS_SCHEMA, all_projects: { type: 'boolean' } }, additionalProperties: false },
  defaultContexts: { cleanup: ['nova'] },
  async run(ctx, args) {
    const { session } = scenarioUser(ctx);
    const group = await createServerGroup(ctx, session, randomName(ctx, 'scenario'), serverGroupRequest(args));
    const allProjects = args.all_projects ?? false;
    const groups = await listServerGroups(ctx, allProjects ? adminSession(ctx) : session, allProjects);
    if (!groups.some((listed) => listed.id === group.id)) {
      throw new RallyException(`Server Group not included into list of server groups\nCreated server group: ${group.id}`, 'AssertionError');
    }
  },
});
