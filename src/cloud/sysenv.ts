/**
 * OS_* environment variables, as `rally env create --from-sysenv` reads them
 * (rally_openstack/environment/platforms/existing.py, create_spec_from_sys_environ), plus what
 * openrc files of today also use: OS_TOKEN, OS_APPLICATION_CREDENTIAL_ID/_NAME/_SECRET,
 * OS_AUTH_TYPE, OS_USER_ID, OS_PROJECT_ID and *_DOMAIN_ID.
 *
 * Rally's rules kept: OS_AUTH_URL is required; password auth needs OS_USERNAME, OS_PASSWORD and
 * OS_PROJECT_NAME or OS_TENANT_NAME; OS_ENDPOINT_TYPE wins over OS_INTERFACE and "publicURL" means
 * "public"; OS_REGION_NAME; OS_CACERT, OS_CERT, OS_KEY, OS_INSECURE (oslo bool_from_string); user
 * and project domains default to Keystone's default domain. Keystone v2.0 is refused.
 */
import { InputError } from '../common/errors.js';
import { AuthOptionProblem, authFromOptions, inferAuthMethod } from './auth-options.js';
import type { FlatOptions } from './auth-options.js';
import type { CloudCredential } from './credential.js';
import { boolFromString, isKeystoneV2Url, parseInterface } from './values.js';

/** True when the environment holds a cloud (OS_AUTH_URL is set), i.e. --from-sysenv would work. */
export function hasEnvironmentCredential(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OS_AUTH_URL);
}

function envError(message: string, hints: string[] = []): InputError {
  return new InputError(`OS_* environment: ${message}`, undefined, undefined, hints);
}

/** Reads the credential from OS_* variables; InputError naming the variable that is missing or wrong. */
export function credentialFromEnvironment(env: NodeJS.ProcessEnv = process.env): CloudCredential {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const authUrl = get('OS_AUTH_URL');
  if (authUrl === undefined) throw envError('OS_AUTH_URL is not set', ['source your openrc, or use --os-cloud or a Rally spec file']);
  const identityVersion = get('OS_IDENTITY_API_VERSION') ?? get('IDENTITY_API_VERSION');
  if (isKeystoneV2Url(authUrl) || identityVersion === '2' || identityVersion === '2.0') {
    throw envError('Keystone v2.0 is not supported (removed from OpenStack in Queens): set OS_AUTH_URL to the v3 URL');
  }

  const options: FlatOptions = {
    username: get('OS_USERNAME'),
    user_id: get('OS_USER_ID'),
    password: env.OS_PASSWORD,
    user_domain_name: get('OS_USER_DOMAIN_NAME'),
    user_domain_id: get('OS_USER_DOMAIN_ID'),
    project_name: get('OS_PROJECT_NAME') ?? get('OS_TENANT_NAME'),
    project_id: get('OS_PROJECT_ID') ?? get('OS_TENANT_ID'),
    project_domain_name: get('OS_PROJECT_DOMAIN_NAME'),
    project_domain_id: get('OS_PROJECT_DOMAIN_ID'),
    domain_name: get('OS_DOMAIN_NAME'),
    domain_id: get('OS_DOMAIN_ID'),
    system_scope: get('OS_SYSTEM_SCOPE'),
    token: get('OS_TOKEN') ?? get('OS_AUTH_TOKEN'),
    application_credential_id: get('OS_APPLICATION_CREDENTIAL_ID'),
    application_credential_name: get('OS_APPLICATION_CREDENTIAL_NAME'),
    application_credential_secret: get('OS_APPLICATION_CREDENTIAL_SECRET'),
  };
  const authType = get('OS_AUTH_TYPE');
  const defaultDomainId = get('OS_DEFAULT_DOMAIN_ID') ?? get('OS_DEFAULT_DOMAIN');
  const passwordAuth = authType === undefined ? inferAuthMethod(options) === 'password' : /password$/.test(authType);
  if (passwordAuth) {
    // Rally: "The following variable(s) are missed: [...]", "One of OS_PROJECT_NAME or OS_TENANT_NAME should be specified."
    const missing: string[] = [];
    if (options.username === undefined && options.user_id === undefined) missing.push('OS_USERNAME');
    if (options.password === undefined) missing.push('OS_PASSWORD');
    if (missing.length > 0) throw envError(`the following variable(s) are missing: ${missing.join(', ')}`);
    const scoped = [options.project_name, options.project_id, options.domain_name, options.domain_id, options.system_scope];
    if (scoped.every((value) => value === undefined)) throw envError('one of OS_PROJECT_NAME or OS_TENANT_NAME should be specified');
  }
  let auth;
  try {
    auth = authFromOptions(options, authType, defaultDomainId);
  } catch (problem) {
    if (problem instanceof AuthOptionProblem) {
      // the option's name as the variable that holds it: "token is missing" -> "OS_TOKEN is missing"
      throw envError(problem.message.replace(new RegExp(`^${problem.key}\\b`), `OS_${problem.key.toUpperCase()}`));
    }
    throw problem;
  }

  const interfaceValue = get('OS_ENDPOINT_TYPE') ?? get('OS_INTERFACE');
  const endpointInterface = parseInterface(interfaceValue);
  if (endpointInterface === null) throw envError(`OS_ENDPOINT_TYPE/OS_INTERFACE must be public, internal or admin (got '${interfaceValue}')`);
  const cacert = get('OS_CACERT');
  const cert = get('OS_CERT');
  const key = get('OS_KEY');
  const region = get('OS_REGION_NAME');
  const credential: CloudCredential = {
    authUrl,
    interface: endpointInterface ?? 'public',
    tls: {
      insecure: boolFromString(env.OS_INSECURE),
      ...(cacert ? { cacert } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    },
    apiInfo: {},
    admin: auth,
    users: [],
    origin: 'OS_* environment variables',
  };
  if (region !== undefined) credential.regionName = region;
  return credential;
}
