/** KeystoneBasic.create_tenant_with_users: create a tenant and users_per_tenant users in it. */
import { ADMIN_KEYSTONE_CLEANUP, adminKeystone, createProjectArgProperties, nameLengthProperty } from './common.js';
import { registerOpenStackScenario } from '../scenario-base.js';

interface Args {
  users_per_tenant: number;
  name_length?: number;
  project_name?: string;
  domain_name?: string;
}

export const createTenantWithUsersScenario = registerOpenStackScenario({
  name: 'KeystoneBasic.create_tenant_with_users',
  description: 'Create a keystone tenant and several users belonging to it.',
  defaultContexts: ADMIN_KEYSTONE_CLEANUP,
  schema: {
    type: 'object',
    properties: { users_per_tenant: { type: 'integer', minimum: 1 }, ...nameLengthProperty, ...createProjectArgProperties },
    required: ['users_per_tenant'],
    additionalProperties: false,
  },
  async run(ctx, { users_per_tenant, name_length: _ignored, ...kwargs }: Args) {
    const keystone = adminKeystone(ctx);
    const project = await keystone.createProject(kwargs);
    await keystone.createUsers(project.id, users_per_tenant);
  },
});
