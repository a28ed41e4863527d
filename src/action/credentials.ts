/**
 * Cloud credentials from the action's inputs (repository secrets): the clouds.yaml text, or OS_*
 * values turned into one, written to a private temporary file (0600 in a 0700 folder) that the
 * gate reads through OS_CLIENT_CONFIG_FILE, and removed afterwards. Every secret value, including
 * the ones inside a clouds.yaml, is returned for masking.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { CloudOptionValues } from '../cli/cloud.js';
import { InputError } from '../common/errors.js';
import type { ActionCloudSettings } from './input-helper.js';

/** Name of the cloud the action writes from os-* inputs. */
export const ACTION_CLOUD_NAME = 'rally-gate-action';

export interface PreparedCloud {
  /** what `rally-gate run` would get as --os-cloud / --env-spec / --os-region-name */
  options: CloudOptionValues;
  /** variables to set for the run (OS_CLIENT_CONFIG_FILE) */
  env: Record<string, string>;
  /** values to mask in the log */
  secrets: string[];
  dispose(): Promise<void>;
}

const SECRET_KEY = /(password|secret|token|key)$/i;

/** Secret-looking values anywhere inside a parsed clouds.yaml. */
export function secretsInside(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return SECRET_KEY.test(key) && value !== '' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => secretsInside(v, key));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => secretsInside(v, k));
  return [];
}

function cloudsYamlFromValues(settings: ActionCloudSettings): string {
  const v = settings.values;
  const auth: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) auth[key] = value;
  };
  put('auth_url', v.authUrl);
  put('username', v.username);
  put('password', v.password);
  put('project_name', v.projectName);
  put('user_domain_name', v.userDomainName);
  put('project_domain_name', v.projectDomainName);
  put('application_credential_id', v.applicationCredentialId);
  put('application_credential_secret', v.applicationCredentialSecret);
  const cloud: Record<string, unknown> = { auth };
  if (v.applicationCredentialId !== undefined) cloud['auth_type'] = 'v3applicationcredential';
  if (settings.regionName !== undefined) cloud['region_name'] = settings.regionName;
  if (v.interface !== undefined) cloud['interface'] = v.interface;
  if (v.identityApiVersion !== undefined) cloud['identity_api_version'] = v.identityApiVersion;
  return stringify({ clouds: { [ACTION_CLOUD_NAME]: cloud } });
}

export async function prepareCloud(settings: ActionCloudSettings, tempRoot = tmpdir()): Promise<PreparedCloud> {
  const options: CloudOptionValues = {
    ...(settings.cloud !== undefined ? { 'os-cloud': settings.cloud } : {}),
    ...(settings.envSpec !== undefined ? { 'env-spec': settings.envSpec } : {}),
    ...(settings.regionName !== undefined ? { 'os-region-name': settings.regionName } : {}),
  };
  const fromValues = Object.keys(settings.values).length > 0;
  if (settings.cloudsYaml === undefined && !fromValues) return { options, env: {}, secrets: [], dispose: async () => undefined };

  let text: string;
  let secrets: string[];
  if (settings.cloudsYaml !== undefined) {
    let parsed: unknown;
    try {
      parsed = parse(settings.cloudsYaml);
    } catch (error) {
      // the parser's message may quote the text: say where, not what
      throw new InputError(`input "clouds-yaml" is not valid YAML (${(error as { linePos?: { line: number }[] }).linePos?.[0] ? `line ${(error as { linePos: { line: number }[] }).linePos[0]!.line}` : 'parse error'})`);
    }
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { clouds?: unknown }).clouds !== 'object') {
      throw new InputError('input "clouds-yaml" has no "clouds:" mapping');
    }
    text = settings.cloudsYaml;
    secrets = [settings.cloudsYaml, ...secretsInside(parsed)];
  } else {
    text = cloudsYamlFromValues(settings);
    secrets = [settings.values.password, settings.values.applicationCredentialSecret].filter((s): s is string => s !== undefined);
    options['os-cloud'] = ACTION_CLOUD_NAME;
  }
  const dir = await mkdtemp(join(tempRoot, 'rally-gate-cloud-'));
  await chmod(dir, 0o700);
  const file = join(dir, 'clouds.yaml');
  await writeFile(file, text, { mode: 0o600 });
  return { options, env: { OS_CLIENT_CONFIG_FILE: file }, secrets, dispose: () => rm(dir, { recursive: true, force: true }) };
}
