/**
 * keystoneauth-style flat auth options (what clouds.yaml `auth:` holds and what OS_* variables
 * name: username, user_domain_name, project_name, token, application_credential_id...) turned
 * into a typed CloudAuth. Used by the clouds.yaml and the environment readers.
 */
import type { AuthScope, CloudAuth, UserRef } from './credential.js';
import { DEFAULT_DOMAIN_ID } from './credential.js';

/** keystoneauth plugin names rally-gate implements, and what each maps to. */
const AUTH_TYPES: Record<string, CloudAuth['method']> = {
  password: 'password',
  v3password: 'password',
  token: 'token',
  v3token: 'token',
  v3applicationcredential: 'application_credential',
  applicationcredential: 'application_credential',
  application_credential: 'application_credential',
};

export const SUPPORTED_AUTH_TYPES = ['password', 'v3password', 'token', 'v3token', 'v3applicationcredential'];

/** A wrong or missing option: `key` names the option as the source spells it (without prefix). */
export class AuthOptionProblem extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export type FlatOptions = Record<string, string | undefined>;

function pick(options: FlatOptions, key: string): string | undefined {
  const value = options[key];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The user: by id, or by name in a domain. Like openstackclient, a name without a domain is
 * looked up in the default domain (`default_domain`, "default").
 */
function userRef(options: FlatOptions, defaultDomainId: string): UserRef | undefined {
  const id = pick(options, 'user_id');
  const name = pick(options, 'username');
  if (id === undefined && name === undefined) return undefined;
  const ref: UserRef = {};
  if (id !== undefined) ref.id = id;
  if (name !== undefined) {
    ref.name = name;
    const domainId = pick(options, 'user_domain_id');
    const domainName = pick(options, 'user_domain_name');
    if (domainId !== undefined) ref.domainId = domainId;
    if (domainName !== undefined) ref.domainName = domainName;
    if (domainId === undefined && domainName === undefined) ref.domainId = defaultDomainId;
  }
  return ref;
}

/** Project scope when a project is named, else domain scope, else system scope, else unscoped. */
function scopeOf(options: FlatOptions, defaultDomainId: string): AuthScope | undefined {
  const projectId = pick(options, 'project_id');
  const projectName = pick(options, 'project_name');
  if (projectId !== undefined || projectName !== undefined) {
    const scope: AuthScope = { kind: 'project' };
    if (projectId !== undefined) scope.id = projectId;
    if (projectName !== undefined) {
      scope.name = projectName;
      const domainId = pick(options, 'project_domain_id');
      const domainName = pick(options, 'project_domain_name');
      if (domainId !== undefined) scope.domainId = domainId;
      if (domainName !== undefined) scope.domainName = domainName;
      if (domainId === undefined && domainName === undefined) scope.domainId = defaultDomainId;
    }
    return scope;
  }
  const domainId = pick(options, 'domain_id');
  const domainName = pick(options, 'domain_name');
  if (domainId !== undefined || domainName !== undefined) {
    const scope: AuthScope = { kind: 'domain' };
    if (domainId !== undefined) scope.id = domainId;
    else if (domainName !== undefined) scope.name = domainName;
    return scope;
  }
  if (pick(options, 'system_scope') !== undefined) return { kind: 'system' };
  return undefined;
}

/** Which method when auth_type is not given: a token or an application credential secret decide. */
export function inferAuthMethod(options: FlatOptions): CloudAuth['method'] {
  if (pick(options, 'application_credential_secret') !== undefined) return 'application_credential';
  if (pick(options, 'token') !== undefined && pick(options, 'password') === undefined) return 'token';
  return 'password';
}

/**
 * Builds the auth from flat options. `authType` is keystoneauth's plugin name (or undefined to
 * infer). Throws AuthOptionProblem naming the option that is missing or wrong.
 */
export function authFromOptions(options: FlatOptions, authType: string | undefined, defaultDomainId = DEFAULT_DOMAIN_ID): CloudAuth {
  let method: CloudAuth['method'];
  if (authType === undefined || authType === '') method = inferAuthMethod(options);
  else {
    const known = AUTH_TYPES[authType.toLowerCase()];
    if (!known) {
      const hint = authType.startsWith('v2') ? ' (Keystone v2.0 was removed from OpenStack in Queens; use v3)' : '';
      throw new AuthOptionProblem(
        'auth_type',
        `auth_type '${authType}' is not supported${hint}; rally-gate supports ${SUPPORTED_AUTH_TYPES.join(', ')}`,
      );
    }
    method = known;
  }
  switch (method) {
    case 'password': {
      const user = userRef(options, defaultDomainId);
      if (!user) throw new AuthOptionProblem('username', 'username (or user_id) is missing');
      const password = options.password;
      if (password === undefined) throw new AuthOptionProblem('password', 'password is missing');
      const scope = scopeOf(options, defaultDomainId);
      return scope ? { method, user, password, scope } : { method, user, password };
    }
    case 'token': {
      const token = pick(options, 'token');
      if (token === undefined) throw new AuthOptionProblem('token', 'token is missing');
      const scope = scopeOf(options, defaultDomainId);
      return scope ? { method, token, scope } : { method, token };
    }
    case 'application_credential': {
      const secret = pick(options, 'application_credential_secret');
      if (secret === undefined) {
        throw new AuthOptionProblem('application_credential_secret', 'application_credential_secret is missing');
      }
      const id = pick(options, 'application_credential_id');
      const name = pick(options, 'application_credential_name');
      if (id !== undefined) return { method, id, secret };
      if (name === undefined) {
        throw new AuthOptionProblem('application_credential_id', 'application_credential_id (or _name with its user) is missing');
      }
      const user = userRef(options, defaultDomainId);
      if (!user) {
        throw new AuthOptionProblem('username', 'an application credential given by name needs its user (username or user_id)');
      }
      return { method, name, secret, user };
    }
  }
}
