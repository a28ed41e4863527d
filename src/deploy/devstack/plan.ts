/**
 * The deployment file (YAML): which machines, how to reach them over SSH, which DevStack, and the
 * Zuul job variables that configure it. Loaded into a DeploymentPlan with every secret resolved
 * (key files read, environment variables looked up) so that nothing runs when anything is wrong;
 * every error names file:line:col and the key's path (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, InputErrors } from '../../common/errors.js';
import { type ConfigDocument, configError, parseConfigText } from '../../cloud/config-file.js';
import { problemsFromAjv, structureValidator } from '../../task/schema.js';
import type { HostKeyPolicy } from '../ssh/host-key.js';
import type { SshAuth, SshTarget } from '../ssh/connection.js';
import { type DevstackVars, type ZuulScalar, secretValues } from './local-conf.js';

export type NodeRole = 'controller' | 'subnode';

export interface DeployNode {
  name: string;
  role: NodeRole;
  ssh: SshTarget;
  /** the address other nodes and DevStack use for it (HOST_IP; SERVICE_HOST for the controller) */
  address: string;
  /** the Zuul variables in force on this node (vars, then group_vars.subnode, then host_vars.NAME) */
  vars: DevstackVars;
  /** the DevStack checkout on this node (devstack.dest unless the node sets its own) */
  dest: string;
}

export interface DevstackSource {
  repo: string;
  /** branch, tag or commit */
  ref: string;
  /** the DevStack checkout; its parent is DevStack's DEST and the stack user's home */
  dest: string;
}

export interface DeploymentPlan {
  file: string;
  controller: DeployNode;
  subnodes: DeployNode[];
  source: DevstackSource;
  stackUser: string;
  /** stack.sh time limit per node, seconds */
  stackTimeoutSeconds: number;
  minFreeDiskGb: number;
  /** every secret of the file (passwords, key texts, localrc secrets): masked in every log and error */
  secrets: string[];
}

const VARS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    devstack_localrc: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    devstack_local_conf: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } },
      },
    },
    devstack_services: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    devstack_plugins: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    devstack_base_services: { type: 'array', items: { type: 'string' } },
  },
};

const HOST_KEY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    known_hosts: { type: 'string', minLength: 1 },
    fingerprint: { type: 'string', pattern: '^(SHA256:)?[A-Za-z0-9+/]{43}=?$' },
    accept_new: { type: 'boolean' },
  },
};

const SSH_PROPERTIES = {
  host: { type: 'string', minLength: 1 },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  user: { type: 'string', minLength: 1 },
  private_key: { type: 'string', minLength: 1 },
  key_env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  passphrase_env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  password: { type: 'string' },
  password_env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
  host_key: HOST_KEY_SCHEMA,
  connect_timeout: { type: 'number', exclusiveMinimum: 0 },
};

const JUMP_SCHEMA = { type: 'object', additionalProperties: false, required: ['host'], properties: SSH_PROPERTIES };

const NODE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  properties: { ...SSH_PROPERTIES, name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }, private_ip: { type: 'string', minLength: 1 }, dest: { type: 'string', pattern: '^/.+[^/]$' }, jump_host: JUMP_SCHEMA },
};

export const DEPLOYMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['controller', 'devstack'],
  properties: {
    ssh: { type: 'object', additionalProperties: false, properties: { ...SSH_PROPERTIES, jump_host: JUMP_SCHEMA } },
    controller: NODE_SCHEMA,
    subnodes: { type: 'array', items: NODE_SCHEMA },
    devstack: {
      type: 'object',
      additionalProperties: false,
      required: ['repo'],
      properties: {
        repo: { type: 'string', minLength: 1 },
        branch: { type: 'string', minLength: 1 },
        ref: { type: 'string', minLength: 1 },
        dest: { type: 'string', pattern: '^/.+[^/]$' },
        stack_user: { type: 'string', pattern: '^[a-z_][a-z0-9_-]*$' },
        stack_timeout: { type: 'number', exclusiveMinimum: 0 },
        min_free_disk_gb: { type: 'number', minimum: 0 },
      },
    },
    vars: VARS_SCHEMA,
    group_vars: { type: 'object', additionalProperties: false, properties: { subnode: VARS_SCHEMA } },
    host_vars: { type: 'object', additionalProperties: VARS_SCHEMA },
  },
};

type Dict = Record<string, unknown>;
type Path = Array<string | number>;

/** DevStack's defaults (and the `devstack` Zuul job's timeout). */
export const DEFAULT_DEST = '/opt/stack/devstack';
export const DEFAULT_STACK_USER = 'stack';
export const DEFAULT_STACK_TIMEOUT_SECONDS = 7200;
export const DEFAULT_MIN_FREE_DISK_GB = 10;

class PlanBuilder {
  readonly secrets = new Set<string>();
  readonly errors: InputError[] = [];
  private readonly baseDir: string;

  constructor(
    readonly doc: ConfigDocument,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.baseDir = dirname(resolve(doc.file));
  }

  fail(path: Path, message: string, hints: string[] = []): undefined {
    this.errors.push(configError(this.doc, path, message, hints));
    return undefined;
  }

  /** a path of the file, with ~ expanded and relative paths taken from the deployment file's folder */
  filePath(value: string): string {
    const expanded = value === '~' ? homedir() : value.startsWith('~/') ? `${homedir()}${value.slice(1)}` : value;
    return isAbsolute(expanded) ? expanded : resolve(this.baseDir, expanded);
  }

  private envSecret(name: string, path: Path): string | undefined {
    const value = this.env[name];
    if (value === undefined || value === '') return this.fail(path, `environment variable ${name} is not set (or empty)`);
    this.secrets.add(value);
    return value;
  }

  auth(spec: Dict, paths: Record<string, Path>): SshAuth | undefined {
    const given = ['private_key', 'key_env', 'password', 'password_env'].filter((k) => spec[k] !== undefined);
    if (given.length === 0) return this.fail(paths['host'] ?? [], 'no SSH credential: give private_key, key_env, password or password_env (here or under ssh:)');
    if (given.length > 1) return this.fail(paths[given[1] as string] ?? [], `give one SSH credential, not ${given.join(' and ')}`);
    const which = given[0] as string;
    const passphrase = typeof spec['passphrase_env'] === 'string' ? this.envSecret(spec['passphrase_env'], paths['passphrase_env'] ?? []) : undefined;
    const withPassphrase = passphrase !== undefined ? { passphrase } : {};
    switch (which) {
      case 'private_key': {
        const file = this.filePath(spec['private_key'] as string);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          return this.fail(paths['private_key'] ?? [], `cannot read the private key ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
        this.secrets.add(text.trim());
        return { kind: 'key', privateKey: text, ...withPassphrase };
      }
      case 'key_env': {
        const text = this.envSecret(spec['key_env'] as string, paths['key_env'] ?? []);
        if (text === undefined) return undefined;
        this.secrets.add(text.trim());
        return { kind: 'key', privateKey: text.endsWith('\n') ? text : `${text}\n`, ...withPassphrase };
      }
      case 'password': {
        const password = spec['password'] as string;
        if (password !== '') this.secrets.add(password);
        return { kind: 'password', password };
      }
      default: {
        const password = this.envSecret(spec['password_env'] as string, paths['password_env'] ?? []);
        return password === undefined ? undefined : { kind: 'password', password };
      }
    }
  }

  hostKey(spec: Dict | undefined, path: Path): HostKeyPolicy {
    const knownHosts = typeof spec?.['known_hosts'] === 'string' ? this.filePath(spec['known_hosts']) : undefined;
    const given = ['known_hosts', 'fingerprint'].filter((k) => spec?.[k] !== undefined);
    if (spec?.['accept_new'] === true) {
      if (spec['fingerprint'] !== undefined) this.fail([...path, 'fingerprint'], 'accept_new and a pinned fingerprint exclude each other');
      return knownHosts ? { kind: 'accept_new', file: knownHosts } : { kind: 'accept_new' };
    }
    if (given.length > 1) this.fail([...path, 'fingerprint'], 'give known_hosts or fingerprint, not both');
    if (typeof spec?.['fingerprint'] === 'string') return { kind: 'fingerprint', sha256: spec['fingerprint'] };
    // OpenSSH's default: the user's known_hosts, strictly
    return { kind: 'known_hosts', file: knownHosts ?? resolve(homedir(), '.ssh/known_hosts') };
  }

  /** node settings over the file's `ssh:` defaults; each key's path is where its value was written */
  target(label: string, node: Dict, nodePath: Path, defaults: Dict): SshTarget | undefined {
    const spec: Dict = {};
    const paths: Record<string, Path> = {};
    for (const [key, value] of Object.entries(defaults)) {
      spec[key] = value;
      paths[key] = ['ssh', key];
    }
    // a node's credential replaces the default credential as a whole
    if (['private_key', 'key_env', 'password', 'password_env'].some((k) => node[k] !== undefined)) {
      for (const key of ['private_key', 'key_env', 'password', 'password_env']) delete spec[key];
    }
    for (const [key, value] of Object.entries(node)) {
      spec[key] = value;
      paths[key] = [...nodePath, key];
    }
    if (spec['user'] === undefined) return this.fail([...nodePath, 'host'], 'no SSH user: give user (here or under ssh:)');
    const auth = this.auth(spec, paths);
    const hostKey = this.hostKey(spec['host_key'] as Dict | undefined, paths['host_key'] ?? [...nodePath, 'host_key']);
    let jump: SshTarget | undefined;
    if (spec['jump_host'] !== undefined) {
      const jumpPath = paths['jump_host'] as Path;
      const { jump_host: _ignored, ...inherited } = defaults;
      jump = this.target(`${label} (jump host)`, spec['jump_host'] as Dict, jumpPath, inherited);
    }
    if (!auth) return undefined;
    return {
      label,
      host: spec['host'] as string,
      port: (spec['port'] as number | undefined) ?? 22,
      user: spec['user'] as string,
      auth,
      hostKey,
      ...(jump ? { jump } : {}),
      connectTimeoutMs: ((spec['connect_timeout'] as number | undefined) ?? 20) * 1000,
    };
  }

  /** Zuul expressions cannot be evaluated here: a clear error instead of a literal "{{ ... }}" in local.conf */
  rejectTemplates(value: unknown, path: Path): void {
    if (typeof value === 'string' && value.includes('{{')) {
      this.fail(path, 'Zuul/Jinja expressions ("{{ ... }}") are not evaluated in a deployment file', [
        'write the value itself; HOST_IP and SERVICE_HOST (and a subnode\'s DATABASE_HOST, RABBIT_HOST) are filled per node when absent',
      ]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) this.rejectTemplates(inner, [...path, Array.isArray(value) ? Number(key) : key]);
    }
  }
}

/** Ansible's precedence with whole-variable replacement: host_vars over group_vars.subnode over vars. */
function nodeVars(data: Dict, name: string, role: NodeRole): DevstackVars {
  const layers = [data['vars'], role === 'subnode' ? (data['group_vars'] as Dict | undefined)?.['subnode'] : undefined, (data['host_vars'] as Dict | undefined)?.[name]];
  const out: Dict = {};
  for (const layer of layers) if (layer && typeof layer === 'object') Object.assign(out, layer);
  return out as DevstackVars;
}

/** What devstack-minimal's job vars set from nodepool's addresses, filled when the file leaves them out. */
function withNodeAddresses(vars: DevstackVars, role: NodeRole, address: string, controllerAddress: string): DevstackVars {
  const localrc: Record<string, ZuulScalar> = { ...(vars.devstack_localrc ?? {}) };
  const fill = (key: string, value: string) => {
    if (!(key in localrc)) localrc[key] = value;
  };
  fill('HOST_IP', address);
  fill('SERVICE_HOST', controllerAddress);
  if (role === 'subnode') {
    fill('DATABASE_TYPE', 'mysql');
    fill('RABBIT_HOST', controllerAddress);
    fill('DATABASE_HOST', controllerAddress);
  }
  return { ...vars, devstack_localrc: localrc };
}

/** Parses and checks a deployment file's text; `env` supplies key_env/password_env values. */
export function parseDeploymentFile(file: string, text: string, env: NodeJS.ProcessEnv = process.env): DeploymentPlan {
  const doc = parseConfigText(file, text);
  if (doc.data === null || typeof doc.data !== 'object' || Array.isArray(doc.data)) {
    throw new InputError('a deployment file must be a mapping with controller: and devstack: keys', { file });
  }
  const validate = structureValidator(DEPLOYMENT_SCHEMA);
  if (!validate(doc.data)) {
    const problems = problemsFromAjv(validate.errors, doc.data);
    throw new InputErrors(problems.map((p) => configError(doc, p.path, p.message)));
  }
  const data = doc.data as Dict;
  const builder = new PlanBuilder(doc, env);
  for (const key of ['vars', 'group_vars', 'host_vars']) builder.rejectTemplates(data[key], [key]);

  const defaults = (data['ssh'] as Dict | undefined) ?? {};
  const devstack = data['devstack'] as Dict;
  const controllerSpec = data['controller'] as Dict;
  const subnodeSpecs = (data['subnodes'] as Dict[] | undefined) ?? [];
  const controllerName = (controllerSpec['name'] as string | undefined) ?? 'controller';
  const controllerAddress = (controllerSpec['private_ip'] as string | undefined) ?? (controllerSpec['host'] as string);
  const seen = new Map<string, Path>([[controllerName, ['controller']]]);
  const makeNode = (spec: Dict, path: Path, role: NodeRole, name: string): DeployNode | undefined => {
    const { dest: _dest, ...sshSpec } = spec;
    const ssh = builder.target(name, sshSpec, path, defaults);
    const address = (spec['private_ip'] as string | undefined) ?? (spec['host'] as string);
    const vars = withNodeAddresses(nodeVars(data, name, role), role, address, controllerAddress);
    const dest = (spec['dest'] as string | undefined) ?? (devstack['dest'] as string | undefined) ?? DEFAULT_DEST;
    return ssh ? { name, role, ssh, address, vars, dest } : undefined;
  };
  const controller = makeNode(controllerSpec, ['controller'], 'controller', controllerName);
  const subnodes: DeployNode[] = [];
  subnodeSpecs.forEach((spec, i) => {
    const name = (spec['name'] as string | undefined) ?? `subnode${i + 1}`;
    if (seen.has(name)) {
      builder.fail(['subnodes', i, 'name'], `node name "${name}" is used twice (names key the log folders and host_vars)`);
      return;
    }
    seen.set(name, ['subnodes', i]);
    const node = makeNode(spec, ['subnodes', i], 'subnode', name);
    if (node) subnodes.push(node);
  });
  for (const name of Object.keys((data['host_vars'] as Dict | undefined) ?? {})) {
    if (!seen.has(name)) builder.fail(['host_vars', name], `host_vars for "${name}", which is not a node (nodes: ${[...seen.keys()].join(', ')})`);
  }
  if (devstack['branch'] !== undefined && devstack['ref'] !== undefined) builder.fail(['devstack', 'ref'], 'give branch or ref, not both');
  if (builder.errors.length > 0 || !controller) {
    throw builder.errors.length === 1 ? (builder.errors[0] as InputError) : new InputErrors(builder.errors);
  }
  const secrets = new Set(builder.secrets);
  for (const node of [controller, ...subnodes]) for (const secret of secretValues(node.vars)) secrets.add(secret);
  return {
    file,
    controller,
    subnodes,
    source: {
      repo: devstack['repo'] as string,
      ref: (devstack['ref'] as string | undefined) ?? (devstack['branch'] as string | undefined) ?? 'master',
      dest: (devstack['dest'] as string | undefined) ?? DEFAULT_DEST,
    },
    stackUser: (devstack['stack_user'] as string | undefined) ?? DEFAULT_STACK_USER,
    stackTimeoutSeconds: (devstack['stack_timeout'] as number | undefined) ?? DEFAULT_STACK_TIMEOUT_SECONDS,
    minFreeDiskGb: (devstack['min_free_disk_gb'] as number | undefined) ?? DEFAULT_MIN_FREE_DISK_GB,
    secrets: [...secrets].filter((s) => s.length > 0),
  };
}

/** Reads and checks a deployment file (exit 2 with file:line:col on any problem; nothing is run). */
export function loadDeploymentFile(file: string, env: NodeJS.ProcessEnv = process.env): DeploymentPlan {
  if (!existsSync(file)) throw new InputError('deployment file not found', { file });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the deployment file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file });
  }
  return parseDeploymentFile(file, text, env);
}
