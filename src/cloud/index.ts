/** Credentials of an existing cloud: the type, its readers and the redaction helpers. */
export * from './credential.js';
export { loadCloudsYaml, findCloudsFile, candidateFiles, configSearchDirs } from './clouds-yaml.js';
export type { CloudsYamlOptions } from './clouds-yaml.js';
export { credentialFromEnvironment, hasEnvironmentCredential } from './sysenv.js';
export { loadRallySpec, credentialFromRallySpec } from './rally-spec.js';
export { resolveCredential } from './resolve.js';
export type { CredentialSourceOptions } from './resolve.js';
