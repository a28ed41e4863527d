/** KeystoneBasic.create_tenant: create a keystone tenant (project) with random name. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createProjectArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

export const createTenantScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_tenant',
  description: 'Create a keystone tenant with random name.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: { type: 'object', properties: { ...nameLengthProperty, ...createProjectArgProperties }, additionalProperties: false },
  async run(ctx, { name_length: _ignored, ...kwargs }: { name_length?: number; project_name?: string; domain_name?: string }) {
    await adminKeystone(ctx).createProject(kwargs);
  },
});
