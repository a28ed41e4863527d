/**
 * The credentials of an existing OpenStack cloud, whatever they were read from (clouds.yaml,
 * OS_* variables, a Rally env/deployment spec). One typed shape for the client and the contexts:
 * where Keystone is, which endpoints to use, how to check TLS, and who authenticates (an admin,
 * existing users, or both).
 */

/** Keystone catalog interface; Rally calls it endpoint_type ("publicURL" is read as "public"). */
export type EndpointInterface = 'public' | 'internal' | 'admin';

/** A Keystone user, by id or by name within a domain (id or name). */
export interface UserRef {
  id?: string;
  name?: string;
  domainId?: string;
  domainName?: string;
}

/** What a token is scoped to. Absent = unscoped (a token without catalog, rarely useful). */
export type AuthScope =
  | { kind: 'project'; id?: string; name?: string; domainId?: string; domainName?: string }
  | { kind: 'domain'; id?: string; name?: string }
  | { kind: 'system' };

export interface PasswordAuth {
  method: 'password';
  user: UserRef;
  password: string;
  scope?: AuthScope;
}

export interface TokenAuth {
  method: 'token';
  token: string;
  scope?: AuthScope;
}

/** Keystone application credential: by id, or by name together with its owner. Scoped by itself. */
export interface ApplicationCredentialAuth {
  method: 'application_credential';
  id?: string;
  name?: string;
  secret: string;
  user?: UserRef;
}

export type CloudAuth = PasswordAuth | TokenAuth | ApplicationCredentialAuth;

/** How HTTPS endpoints are checked. Paths are as the user gave them (with ~ expanded). */
export interface TlsSettings {
  /** CA bundle (PEM) used instead of the system's */
  cacert?: string;
  /** skip certificate verification (OS_INSECURE, https_insecure, insecure: true, verify: false) */
  insecure: boolean;
  /** client certificate (PEM), possibly with its key in the same file */
  cert?: string;
  /** client key (PEM) when not in `cert` */
  key?: string;
}

/** Rally's api_info: per client name ("nova", "cinder"...), a version and/or a service type. */
export interface ApiInfo {
  version?: string;
  serviceType?: string;
}

/** Everything but the identity: where the cloud is and how to reach it. Shared by all sessions. */
export interface CloudEndpointSettings {
  /** Keystone URL as given (versioned ".../v3" or unversioned root) */
  authUrl: string;
  regionName?: string;
  interface: EndpointInterface;
  tls: TlsSettings;
  apiInfo: Record<string, ApiInfo>;
}

export interface CloudCredential extends CloudEndpointSettings {
  /** admin identity; absent in Rally's existing-users-only mode */
  admin?: CloudAuth;
  /** Rally existing users (`users` in a spec): used instead of creating users when present */
  users: CloudAuth[];
  /** where it was read, e.g. "clouds.yaml /etc/openstack/clouds.yaml (cloud 'dev-cloud')" */
  origin: string;
}

/** Keystone's default domain has the id "default" (its name, "Default", can be renamed). */
export const DEFAULT_DOMAIN_ID = 'default';

function describeUser(user: UserRef | undefined): string {
  if (!user) return '?';
  const who = user.name ?? user.id ?? '?';
  const domain = user.domainName ?? user.domainId;
  return domain ? `${who} (domain ${domain})` : who;
}

function describeScope(scope: AuthScope | undefined): string {
  if (!scope) return 'unscoped';
  switch (scope.kind) {
    case 'project': {
      const domain = scope.domainName ?? scope.domainId;
      return `project ${scope.name ?? scope.id ?? '?'}${domain ? ` (domain ${domain})` : ''}`;
    }
    case 'domain':
      return `domain ${scope.name ?? scope.id ?? '?'}`;
    case 'system':
      return 'system scope';
  }
}

/** "user admin (domain Default), project admin (domain Default)": who, never a secret. */
export function describeAuth(auth: CloudAuth): string {
  switch (auth.method) {
    case 'password':
      return `user ${describeUser(auth.user)}, ${describeScope(auth.scope)}`;
    case 'token':
      return `token, ${describeScope(auth.scope)}`;
    case 'application_credential':
      return `application credential ${auth.id ?? auth.name ?? '?'}${auth.user ? ` of user ${describeUser(auth.user)}` : ''}`;
  }
}

/** One line for logs and reports: auth_url, who, project, region. Never a password, token or secret. */
export function describeCredential(credential: CloudCredential): string {
  const who = credential.admin
    ? describeAuth(credential.admin)
    : `${credential.users.length} existing user(s), the first: ${credential.users[0] ? describeAuth(credential.users[0]) : '?'}`;
  const region = credential.regionName ? `, region ${credential.regionName}` : '';
  return `${credential.authUrl} as ${who}${region}, ${credential.interface} endpoints`;
}

const REDACTED = '***';

function redactAuth(auth: CloudAuth): CloudAuth {
  switch (auth.method) {
    case 'password':
      return { ...auth, password: REDACTED };
    case 'token':
      return { ...auth, token: REDACTED };
    case 'application_credential':
      return { ...auth, secret: REDACTED };
  }
}

/** A copy fit for printing or JSON dumps: passwords, tokens and secrets replaced by "***". */
export function redactCredential(credential: CloudCredential): CloudCredential {
  return {
    ...credential,
    ...(credential.admin ? { admin: redactAuth(credential.admin) } : {}),
    users: credential.users.map(redactAuth),
  };
}

function authSecret(auth: CloudAuth): string {
  switch (auth.method) {
    case 'password':
      return auth.password;
    case 'token':
      return auth.token;
    case 'application_credential':
      return auth.secret;
  }
}

/** Every secret a credential holds, for `redactSecrets` over log lines and error texts. */
export function credentialSecrets(credential: CloudCredential): string[] {
  const all = [credential.admin, ...credential.users].filter((a): a is CloudAuth => a !== undefined).map(authSecret);
  return [...new Set(all.filter((s) => s.length > 0))];
}

/**
 * Replaces every occurrence of each secret in `text` by "***" (also their URL-encoded and
 * JSON-escaped forms, as they appear in request bodies and URLs). Longest first, so that a
 * secret that contains another is hidden whole.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(REDACTED);
  return out;
}
