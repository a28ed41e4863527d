/** KeystoneBasic.get_entities: create a project, user and role, get each by id, and get a service by id. */
import { ScenarioError } from '../../../engine/exceptions.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const getEntitiesScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.get_entities',
  description: 'Get instance of a tenant, user, role and service by id\'s.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { service_name: { type: ['string', 'null'] } }, additionalProperties: false },
  async run(ctx, { service_name = 'keystone' }: { service_name?: string | null }) {
    const keystone = adminKeystone(ctx);
    const project = await keystone.createProject();
    const user = await keystone.createUser({ project_id: project.id });
    const role = await keystone.createRole();
    await keystone.getProject(project.id);
    await keystone.getUser(user.id);
    await keystone.getRole(role.id);
    const service = service_name === null ? await keystone.createService() : await keystone.getServiceByName(service_name);
    // Rally then reads service.id of None: AttributeError
    if (!service) throw new ScenarioError('AttributeError', "'NoneType' object has no attribute 'id'");
    await keystone.getService(service.id);
  },
});
