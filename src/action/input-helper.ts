/**
 * The action's inputs (action.yml) -> one typed, validated settings object. Nothing else in the
 * action reads inputs. Bad values are InputErrors naming the input.
 */
import { InputError } from '../common/errors.js';
import { parseFingerprintFacts } from '../gate/run-gate.js';
import type { StoreSettings } from '../gate/settings.js';

export type ActionMode = 'run' | 'post-comment';
export type CommentMode = 'update' | 'off' | 'artifact';

/** OS_* values given as inputs (the action writes them into a private clouds.yaml). */
export interface OpenStackValues {
  authUrl?: string;
  username?: string;
  password?: string;
  projectName?: string;
  userDomainName?: string;
  projectDomainName?: string;
  applicationCredentialId?: string;
  applicationCredentialSecret?: string;
  regionName?: string;
  interface?: string;
  identityApiVersion?: string;
}

export interface ActionCloudSettings {
  /** clouds.yaml text (from a secret) */
  cloudsYaml?: string;
  /** cloud name in that clouds.yaml (or in one found the usual way) */
  cloud?: string;
  envSpec?: string;
  regionName?: string;
  values: OpenStackValues;
}

export interface ActionSettings {
  mode: ActionMode;
  workingDirectory?: string;
  settingsFile?: string;
  taskFiles: string[];
  outDir: string;
  storeBaseline: boolean;
  store?: StoreSettings;
  baseRef?: string;
  fingerprint: Record<string, string>;
  /** a deployment file: DevStack over SSH first */
  deploymentFile?: string;
  /** runGate's verify option: undefined = when the settings have a verify section */
  verify?: boolean | string;
  cloud: ActionCloudSettings;
  comment: CommentMode;
  commentKey: string;
  /** logins (besides bots) whose marked comments count as the gate's (a PAT's user) */
  commentAuthors: string[];
  githubToken?: string;
  /** post-comment mode: the downloaded results artifact */
  artifactPath: string;
  /** fail the step when the gate fails (exit code 1); default true */
  failOnVerdict: boolean;
}

/** Reads one input: trimmed, '' when not given (core.getInput's contract). */
export type InputReader = (name: string) => string;

/** "auto"/"" -> as the settings say; true/false; anything else is a verification settings file. */
function verifyInput(value: string): { verify?: boolean | string } {
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'auto') return {};
  if (['true', 'yes', '1', 'on'].includes(lower)) return { verify: true };
  if (['false', 'no', '0', 'off'].includes(lower)) return { verify: false };
  return { verify: value };
}

function optional(read: InputReader, name: string): string | undefined {
  const value = read(name);
  return value === '' ? undefined : value;
}

function boolean(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new InputError(`input "${name}": expected true or false, got ${JSON.stringify(value)}`);
}

function oneOf<T extends string>(read: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(name) || fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`input "${name}": expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** Newline- or comma-separated list. */
function list(read: InputReader, name: string): string[] {
  return read(name).split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
}

function storeInput(read: InputReader): StoreSettings | undefined {
  const directory = optional(read, 'baseline-directory');
  const gitRemote = optional(read, 'baseline-git-remote');
  const url = optional(read, 'baseline-url');
  const given = [directory && 'baseline-directory', gitRemote && 'baseline-git-remote', url && 'baseline-url'].filter(Boolean);
  if (given.length > 1) throw new InputError(`inputs ${given.join(', ')}: give at most one baseline store`);
  if (directory) return { type: 'directory', path: directory };
  if (url) return { type: 'url', url };
  if (gitRemote) return { type: 'git', remote: gitRemote, branch: read('baseline-git-branch') || 'rally-gate-baselines', path: read('baseline-git-path') };
  return undefined;
}

function openStackValues(read: InputReader): OpenStackValues {
  const entries: [keyof OpenStackValues, string][] = [
    ['authUrl', 'os-auth-url'],
    ['username', 'os-username'],
    ['password', 'os-password'],
    ['projectName', 'os-project-name'],
    ['userDomainName', 'os-user-domain-name'],
    ['projectDomainName', 'os-project-domain-name'],
    ['applicationCredentialId', 'os-application-credential-id'],
    ['applicationCredentialSecret', 'os-application-credential-secret'],
    ['interface', 'os-interface'],
    ['identityApiVersion', 'os-identity-api-version'],
  ];
  const values: OpenStackValues = {};
  for (const [key, name] of entries) {
    const value = optional(read, name);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

export function getActionSettings(read: InputReader): ActionSettings {
  const mode = oneOf(read, 'mode', ['run', 'post-comment'] as const, 'run');
  const cloud: ActionCloudSettings = {
    ...(optional(read, 'clouds-yaml') !== undefined ? { cloudsYaml: read('clouds-yaml') } : {}),
    ...(optional(read, 'cloud') !== undefined ? { cloud: read('cloud') } : {}),
    ...(optional(read, 'env-spec') !== undefined ? { envSpec: read('env-spec') } : {}),
    ...(optional(read, 'os-region-name') !== undefined ? { regionName: read('os-region-name') } : {}),
    values: openStackValues(read),
  };
  const hasValues = Object.keys(cloud.values).length > 0;
  if (cloud.cloudsYaml !== undefined && hasValues) throw new InputError('inputs clouds-yaml and os-*: give the cloud one way, not both');
  if (hasValues && cloud.values.authUrl === undefined) throw new InputError('input "os-auth-url" is needed with the other os-* inputs');
  const settings: ActionSettings = {
    mode,
    ...(optional(read, 'working-directory') !== undefined ? { workingDirectory: read('working-directory') } : {}),
    ...(optional(read, 'settings') !== undefined ? { settingsFile: read('settings') } : {}),
    taskFiles: list(read, 'tasks'),
    outDir: read('results-dir') || 'rally-gate-results',
    storeBaseline: boolean(read, 'store-baseline', true),
    ...(storeInput(read) ? { store: storeInput(read)! } : {}),
    ...(optional(read, 'base-ref') !== undefined ? { baseRef: read('base-ref') } : {}),
    fingerprint: parseFingerprintFacts(list(read, 'fingerprint'), 'input "fingerprint"'),
    ...(optional(read, 'deployment') !== undefined ? { deploymentFile: read('deployment') } : {}),
    ...verifyInput(read('verify')),
    cloud,
    comment: oneOf(read, 'comment', ['update', 'off', 'artifact'] as const, 'update'),
    commentKey: read('comment-key') || 'default',
    commentAuthors: list(read, 'comment-authors'),
    ...(optional(read, 'github-token') !== undefined ? { githubToken: read('github-token') } : {}),
    artifactPath: read('artifact-path') || 'rally-gate-results',
    failOnVerdict: boolean(read, 'fail-on-verdict', true),
  };
  return settings;
}

/** The secret values among the settings, to be masked in the log before anything runs. */
export function secretValues(settings: ActionSettings): string[] {
  const v = settings.cloud.values;
  return [settings.githubToken, v.password, v.applicationCredentialSecret, settings.cloud.cloudsYaml].filter((s): s is string => s !== undefined && s !== '');
}
