/** KeystoneBasic.create_and_list_tenants: create a tenant with random name and list all tenants. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createProjectArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createAndListTenantsScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_and_list_tenants',
  description: 'Create a keystone tenant with random name and list all tenants.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...nameLengthProperty, ...createProjectArgProperties }, additionalProperties: false },
  async run(ctx, { name_length: _ignored, ...kwargs }: { name_length?: number; project_name?: string; domain_name?: string }) {
    const keystone = adminKeystone(ctx);
    await keystone.createProject(kwargs);
    await keystone.listProjects();
  },
});
