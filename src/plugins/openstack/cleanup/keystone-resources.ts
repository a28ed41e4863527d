/**
 * Keystone's cleanup resource managers (Rally's KeystoneUser/Project/Service/Role, orders 9000+,
 * admin only; KeystoneEc2 per project, nameless so always deleted for the run's users).
 */
import { identity } from '../../../openstack/index.js';
import { registerCleanupResource } from './registry.js';

const adminOnly = { service: 'keystone', adminRequired: true, performForAdminOnly: true } as const;

registerCleanupResource<identity.User>({
  ...adminOnly,
  resource: 'user',
  order: 9000,
  list: ({ session, signal }) => identity.listUsers(session, signal ? { signal } : {}),
  id: (user) => user.id,
  name: (user) => user.name,
  delete: ({ session }, user) => identity.deleteUser(session, user.id),
});

registerCleanupResource<identity.Project>({
  ...adminOnly,
  resource: 'project',
  order: 9001,
  list: ({ session, signal }) => identity.listProjects(session, signal ? { signal } : {}),
  id: (project) => project.id,
  name: (project) => project.name,
  delete: ({ session }, project) => identity.deleteProject(session, project.id),
});

registerCleanupResource<identity.Service>({
  ...adminOnly,
  resource: 'service',
  order: 9002,
  list: ({ session, signal }) => identity.listServices(session, signal ? { signal } : {}),
  id: (service) => service.id,
  // services are created with a random name (KeystoneBasic.create_and_delete_service ...)
  name: (service) => service.name ?? '',
  delete: ({ session }, service) => identity.deleteService(session, service.id),
});

registerCleanupResource<identity.Role>({
  ...adminOnly,
  resource: 'role',
  order: 9003,
  list: ({ session, signal }) => identity.listRoles(session, signal ? { signal } : {}),
  id: (role) => role.id,
  name: (role) => role.name,
  delete: ({ session }, role) => identity.deleteRole(session, role.id),
});

registerCleanupResource<identity.Ec2Credential>({
  service: 'keystone',
  resource: 'ec2',
  order: 9004,
  tenantResource: true,
  // Only a user's own credentials can be told apart (they have no name): never in a sweep.
  list: async ({ session, user, signal }) => (user ? identity.listEc2Credentials(session, user.id, signal ? { signal } : {}) : []),
  id: () => 'n/a',
  name: () => undefined,
  delete: ({ session, user }, credential) => identity.deleteEc2Credential(session, user?.id ?? credential.user_id, credential.access),
});
