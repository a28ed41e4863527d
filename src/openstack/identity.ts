/**
 * Keystone v3 (identity): projects, users, roles and their assignments, domains, services,
 * endpoints, tokens, application credentials and EC2 credentials. Thin typed calls; names
 * and ids exactly as the API has them.
 */
import type { TokenInfo } from './auth.js';
import { issueToken } from './auth.js';
import type { CloudAuth } from '../cloud/credential.js';
import { listAll } from './pagination.js';
import type { ListOptions } from './pagination.js';
import type { OpenStackSession, Query, RequestOptions } from './session.js';
import { apiPath, requireKey } from './session.js';
import { OpenStackHttpError } from './errors.js';

type CallOptions = Pick<RequestOptions, 'signal' | 'timeoutMs'>;

export interface Project {
  id: string;
  name: string;
  domain_id: string;
  description?: string;
  enabled: boolean;
  parent_id?: string | null;
  is_domain?: boolean;
  tags?: string[];
}

export interface User {
  id: string;
  name: string;
  domain_id: string;
  enabled: boolean;
  default_project_id?: string;
  email?: string;
  description?: string;
  password_expires_at?: string | null;
}

export interface Role {
  id: string;
  name: string;
  domain_id?: string | null;
  description?: string;
}

export interface Domain {
  id: string;
  name: string;
  enabled: boolean;
  description?: string;
}

export interface Service {
  id: string;
  type: string;
  name?: string;
  description?: string;
  enabled: boolean;
}

export interface Endpoint {
  id: string;
  service_id: string;
  interface: string;
  region_id?: string | null;
  url: string;
  enabled: boolean;
}

export interface RoleAssignment {
  role: { id: string; name?: string };
  user?: { id: string; name?: string };
  group?: { id: string };
  scope: { project?: { id: string; name?: string }; domain?: { id: string }; system?: unknown };
}

export interface ApplicationCredential {
  id: string;
  name: string;
  /** only in the create response */
  secret?: string;
  project_id: string;
  expires_at: string | null;
  unrestricted: boolean;
  roles?: Array<{ id: string; name: string }>;
  description?: string | null;
}

export interface Ec2Credential {
  access: string;
  secret: string;
  user_id: string;
  tenant_id: string;
}

const opts = (options: CallOptions | undefined, extra: RequestOptions = {}): RequestOptions => ({ ...options, ...extra });

// ---- projects

export interface CreateProjectRequest {
  name: string;
  domain_id?: string;
  description?: string;
  enabled?: boolean;
  parent_id?: string;
  tags?: string[];
}

export async function createProject(session: OpenStackSession, project: CreateProjectRequest, options?: CallOptions): Promise<Project> {
  return requireKey<Project>(await session.request('identity', 'POST', '/projects', opts(options, { body: { project } })), 'project');
}

export async function getProject(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<Project> {
  return requireKey<Project>(await session.request('identity', 'GET', apiPath`/projects/${projectId}`, opts(options)), 'project');
}

export async function updateProject(session: OpenStackSession, projectId: string, changes: Partial<CreateProjectRequest>, options?: CallOptions): Promise<Project> {
  return requireKey<Project>(await session.request('identity', 'PATCH', apiPath`/projects/${projectId}`, opts(options, { body: { project: changes } })), 'project');
}

export async function deleteProject(session: OpenStackSession, projectId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/projects/${projectId}`, opts(options));
}

export function listProjects(session: OpenStackSession, options?: ListOptions): Promise<Project[]> {
  return listAll<Project>(session, 'identity', '/projects', 'projects', 'keystone', options);
}

// ---- users

export interface CreateUserRequest {
  name: string;
  password?: string;
  domain_id?: string;
  default_project_id?: string;
  email?: string;
  enabled?: boolean;
  description?: string;
}

export async function createUser(session: OpenStackSession, user: CreateUserRequest, options?: CallOptions): Promise<User> {
  return requireKey<User>(await session.request('identity', 'POST', '/users', opts(options, { body: { user } })), 'user');
}

export async function getUser(session: OpenStackSession, userId: string, options?: CallOptions): Promise<User> {
  return requireKey<User>(await session.request('identity', 'GET', apiPath`/users/${userId}`, opts(options)), 'user');
}

/** PATCH /users/{id}: rename, enable/disable, set a password (as admin). */
export async function updateUser(session: OpenStackSession, userId: string, changes: Partial<CreateUserRequest>, options?: CallOptions): Promise<User> {
  return requireKey<User>(await session.request('identity', 'PATCH', apiPath`/users/${userId}`, opts(options, { body: { user: changes } })), 'user');
}

export async function deleteUser(session: OpenStackSession, userId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/users/${userId}`, opts(options));
}

export function listUsers(session: OpenStackSession, options?: ListOptions): Promise<User[]> {
  return listAll<User>(session, 'identity', '/users', 'users', 'keystone', options);
}

// ---- roles and assignments

export async function createRole(session: OpenStackSession, role: { name: string; domain_id?: string; description?: string }, options?: CallOptions): Promise<Role> {
  return requireKey<Role>(await session.request('identity', 'POST', '/roles', opts(options, { body: { role } })), 'role');
}

export async function getRole(session: OpenStackSession, roleId: string, options?: CallOptions): Promise<Role> {
  return requireKey<Role>(await session.request('identity', 'GET', apiPath`/roles/${roleId}`, opts(options)), 'role');
}

export async function deleteRole(session: OpenStackSession, roleId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/roles/${roleId}`, opts(options));
}

export function listRoles(session: OpenStackSession, options?: ListOptions): Promise<Role[]> {
  return listAll<Role>(session, 'identity', '/roles', 'roles', 'keystone', options);
}

/** PUT /projects/{p}/users/{u}/roles/{r} */
export async function grantProjectRole(session: OpenStackSession, projectId: string, userId: string, roleId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'PUT', apiPath`/projects/${projectId}/users/${userId}/roles/${roleId}`, opts(options));
}

/** DELETE /projects/{p}/users/{u}/roles/{r} */
export async function revokeProjectRole(session: OpenStackSession, projectId: string, userId: string, roleId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/projects/${projectId}/users/${userId}/roles/${roleId}`, opts(options));
}

/** PUT /domains/{d}/users/{u}/roles/{r} */
export async function grantDomainRole(session: OpenStackSession, domainId: string, userId: string, roleId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'PUT', apiPath`/domains/${domainId}/users/${userId}/roles/${roleId}`, opts(options));
}

/** GET /projects/{p}/users/{u}/roles */
export async function listProjectUserRoles(session: OpenStackSession, projectId: string, userId: string, options?: CallOptions): Promise<Role[]> {
  return requireKey<Role[]>(await session.request('identity', 'GET', apiPath`/projects/${projectId}/users/${userId}/roles`, opts(options)), 'roles');
}

/** GET /role_assignments, e.g. query {"user.id": id, "scope.project.id": p, include_names: true} */
export function listRoleAssignments(session: OpenStackSession, query: Query = {}, options?: Omit<ListOptions, 'query'>): Promise<RoleAssignment[]> {
  return listAll<RoleAssignment>(session, 'identity', '/role_assignments', 'role_assignments', 'keystone', { ...options, query });
}

// ---- domains, services, endpoints

export function listDomains(session: OpenStackSession, options?: ListOptions): Promise<Domain[]> {
  return listAll<Domain>(session, 'identity', '/domains', 'domains', 'keystone', options);
}

export async function getDomain(session: OpenStackSession, domainId: string, options?: CallOptions): Promise<Domain> {
  return requireKey<Domain>(await session.request('identity', 'GET', apiPath`/domains/${domainId}`, opts(options)), 'domain');
}

export async function createService(session: OpenStackSession, service: { type: string; name?: string; description?: string; enabled?: boolean }, options?: CallOptions): Promise<Service> {
  return requireKey<Service>(await session.request('identity', 'POST', '/services', opts(options, { body: { service } })), 'service');
}

export async function getService(session: OpenStackSession, serviceId: string, options?: CallOptions): Promise<Service> {
  return requireKey<Service>(await session.request('identity', 'GET', apiPath`/services/${serviceId}`, opts(options)), 'service');
}

export async function deleteService(session: OpenStackSession, serviceId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/services/${serviceId}`, opts(options));
}

export function listServices(session: OpenStackSession, options?: ListOptions): Promise<Service[]> {
  return listAll<Service>(session, 'identity', '/services', 'services', 'keystone', options);
}

export function listEndpoints(session: OpenStackSession, options?: ListOptions): Promise<Endpoint[]> {
  return listAll<Endpoint>(session, 'identity', '/endpoints', 'endpoints', 'keystone', options);
}

// ---- tokens

/**
 * Authenticates `auth` against the session's cloud: a fresh token each call, nothing cached
 * (Rally's Authenticate.keystone and users context create a new client per call).
 */
export async function authenticate(session: OpenStackSession, auth: CloudAuth, options?: CallOptions & { noCatalog?: boolean }): Promise<TokenInfo> {
  return issueToken(session.transport, await session.identityUrl(options?.signal), auth, options ?? {});
}

/** The auth URL without its version suffix: where keystoneauth looks for the version document. */
function versionRootUrl(authUrl: string): string {
  return authUrl.replace(/\/+$/, '').replace(/\/v(2\.0|3(\.\d+)?)$/, '');
}

/**
 * GET on Keystone's unversioned root (the version document, 300 Multiple Choices): the version
 * discovery keystoneauth makes whenever a Rally client is created. The answer is not used; the
 * scenarios that mirror Rally's calls per iteration make it where Rally does.
 */
export async function discoverVersions(session: OpenStackSession, options?: CallOptions): Promise<void> {
  const url = `${versionRootUrl(session.settings.authUrl)}/`;
  const response = await session.transport.send({
    method: 'GET',
    url,
    headers: { Accept: 'application/json' },
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (response.status >= 400) {
    const requestId = response.headers.get('x-openstack-request-id') ?? undefined;
    throw new OpenStackHttpError({ method: 'GET', url, status: response.status, statusText: response.statusText, body: response.text, ...(requestId ? { requestId } : {}) });
  }
}

/**
 * A new Keystone client as Rally's Authenticate.keystone makes one (OSClient "keystone": a
 * discovery and a token by keystoneauth, again by keystoneclient, and a last discovery). The calls
 * counted on the dev cloud with a logging proxy (bench/count-requests.mjs): GET /, POST
 * /v3/auth/tokens, GET /, POST /v3/auth/tokens, GET /. Returns the last token.
 */
export async function authenticateAsRallyClient(session: OpenStackSession, auth: CloudAuth, options?: CallOptions): Promise<TokenInfo> {
  await discoverVersions(session, options);
  await authenticate(session, auth, options);
  await discoverVersions(session, options);
  const token = await authenticate(session, auth, options);
  await discoverVersions(session, options);
  return token;
}

export interface ValidatedToken {
  expires_at: string;
  issued_at: string;
  methods: string[];
  user: { id: string; name: string; domain: { id: string; name: string } };
  project?: { id: string; name: string; domain: { id: string; name: string } };
  roles?: Array<{ id: string; name: string }>;
}

/** GET /auth/tokens with X-Subject-Token: the token's facts (404 when invalid or revoked). */
export async function validateToken(session: OpenStackSession, token: string, options?: CallOptions & { noCatalog?: boolean }): Promise<ValidatedToken> {
  const response = await session.request('identity', 'GET', '/auth/tokens', {
    ...opts(options),
    headers: { 'X-Subject-Token': token },
    ...(options?.noCatalog ? { query: { nocatalog: '' } } : {}),
  });
  return requireKey<ValidatedToken>(response, 'token');
}

/** HEAD /auth/tokens: 200 when valid (keystoneclient's tokens.validate with a HEAD check). */
export async function checkToken(session: OpenStackSession, token: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'HEAD', '/auth/tokens', { ...opts(options), headers: { 'X-Subject-Token': token } });
}

/** DELETE /auth/tokens: revokes a token. */
export async function revokeToken(session: OpenStackSession, token: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', '/auth/tokens', { ...opts(options), headers: { 'X-Subject-Token': token } });
}

// ---- application credentials (a user manages its own)

export interface CreateApplicationCredentialRequest {
  name: string;
  secret?: string;
  description?: string;
  expires_at?: string;
  roles?: Array<{ id: string } | { name: string }>;
  unrestricted?: boolean;
}

export async function createApplicationCredential(
  session: OpenStackSession,
  userId: string,
  credential: CreateApplicationCredentialRequest,
  options?: CallOptions,
): Promise<ApplicationCredential> {
  const response = await session.request('identity', 'POST', apiPath`/users/${userId}/application_credentials`, opts(options, { body: { application_credential: credential } }));
  return requireKey<ApplicationCredential>(response, 'application_credential');
}

export async function deleteApplicationCredential(session: OpenStackSession, userId: string, credentialId: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/users/${userId}/application_credentials/${credentialId}`, opts(options));
}

export function listApplicationCredentials(session: OpenStackSession, userId: string, options?: ListOptions): Promise<ApplicationCredential[]> {
  return listAll<ApplicationCredential>(session, 'identity', apiPath`/users/${userId}/application_credentials`, 'application_credentials', 'keystone', options);
}

// ---- EC2 credentials (KeystoneBasic.create_and_list_ec2credentials, create_and_delete_ec2credential)

export async function createEc2Credential(session: OpenStackSession, userId: string, projectId: string, options?: CallOptions): Promise<Ec2Credential> {
  const response = await session.request('identity', 'POST', apiPath`/users/${userId}/credentials/OS-EC2`, opts(options, { body: { tenant_id: projectId } }));
  return requireKey<Ec2Credential>(response, 'credential');
}

export async function listEc2Credentials(session: OpenStackSession, userId: string, options?: CallOptions): Promise<Ec2Credential[]> {
  return requireKey<Ec2Credential[]>(await session.request('identity', 'GET', apiPath`/users/${userId}/credentials/OS-EC2`, opts(options)), 'credentials');
}

export async function deleteEc2Credential(session: OpenStackSession, userId: string, accessKey: string, options?: CallOptions): Promise<void> {
  await session.request('identity', 'DELETE', apiPath`/users/${userId}/credentials/OS-EC2/${accessKey}`, opts(options));
}
