/** KeystoneBasic.create_update_and_delete_tenant: create a project, rename it and set a description, delete it. */
import { randomName } from '../names.js';
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createProjectArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createUpdateAndDeleteTenantScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_update_and_delete_tenant',
  description: 'Create, update and delete tenant.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...nameLengthProperty, ...createProjectArgProperties }, additionalProperties: false },
  async run(ctx, { name_length: _ignored, ...kwargs }: { name_length?: number | null; project_name?: string; domain_name?: string }) {
    const keystone = adminKeystone(ctx);
    const project = await keystone.createProject(kwargs);
    await keystone.updateProject(project.id, { name: randomName(ctx, 'scenario'), description: randomName(ctx, 'scenario') });
    await keystone.deleteProject(project.id);
  },
});
