/**
 * Which credential a run uses, from the first source that is given:
 *
 *   1. a Rally env spec / deployment file (--deployment FILE, or whatever the CLI calls it)
 *   2. a named cloud of clouds.yaml: --os-cloud NAME, else $OS_CLOUD
 *   3. OS_* variables (an openrc), when $OS_AUTH_URL is set
 *   4. the only cloud of the clouds.yaml openstacksdk would find (as `openstack` does without --os-cloud)
 *
 * Sources are never mixed: an openrc's OS_PASSWORD does not leak into a clouds.yaml cloud. The
 * one exception is the region (--os-region-name, else $OS_REGION_NAME), which selects among a
 * clouds.yaml cloud's regions and overrides the region of the other sources when given.
 */
import { InputError } from '../common/errors.js';
import { findCloudsFile, loadCloudsYaml } from './clouds-yaml.js';
import type { CloudCredential } from './credential.js';
import { loadRallySpec } from './rally-spec.js';
import { credentialFromEnvironment, hasEnvironmentCredential } from './sysenv.js';

export interface CredentialSourceOptions {
  /** a Rally env spec or deployment file */
  specFile?: string;
  /** --os-cloud */
  cloud?: string;
  /** --os-region-name */
  regionName?: string;
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  homeDir?: string;
  /** where the system-wide clouds.yaml is searched; defaults to /etc/openstack */
  systemDir?: string;
}

export function resolveCredential(options: CredentialSourceOptions = {}): CloudCredential {
  const env = options.env ?? process.env;
  const withRegion = (credential: CloudCredential): CloudCredential =>
    options.regionName ? { ...credential, regionName: options.regionName } : credential;
  const files = {
    env,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.homeDir !== undefined ? { homeDir: options.homeDir } : {}),
    ...(options.systemDir !== undefined ? { systemDir: options.systemDir } : {}),
  };

  if (options.specFile) return withRegion(loadRallySpec(options.specFile));
  const cloud = options.cloud || env.OS_CLOUD || undefined;
  const regionName = options.regionName || env.OS_REGION_NAME || undefined;
  if (cloud) return loadCloudsYaml({ ...files, cloud, ...(regionName ? { regionName } : {}) });
  if (hasEnvironmentCredential(env)) return withRegion(credentialFromEnvironment(env));
  if (findCloudsFile(files)) return loadCloudsYaml({ ...files, ...(regionName ? { regionName } : {}) });
  throw new InputError('no OpenStack credentials given', undefined, undefined, [
    'give a Rally env spec file, --os-cloud NAME (or OS_CLOUD) with a clouds.yaml, or source an openrc (OS_AUTH_URL, OS_USERNAME, ...)',
  ]);
}
