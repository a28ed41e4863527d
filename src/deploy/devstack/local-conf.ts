/**
 * DevStack's local.conf from the variables Zuul's devstack jobs use, rendered the way the
 * write-devstack-local-conf role (library/devstack_local_conf.py) renders them:
 *
 *   [[local|localrc]]
 *   enable_plugin NAME URL            devstack_plugins, by name (only those with a value)
 *   ENABLED_SERVICES=a,b | disable_all_services
 *                                     devstack_base_services when `base` is not false, else disable_all_services
 *   enable_service X / disable_service Y
 *                                     devstack_services in file order (only true/false values)
 *   KEY=VALUE                         devstack_localrc by name, a variable used by another one ($X, ${X}) first
 *   <blank line>
 *   [[phase|file]]                    devstack_local_conf: phase -> file -> [section] -> `key = value`
 *
 * Values are written as Python's str() writes them (true -> True, null -> None).
 * Deliberate differences: a plugin's `plugin_requires` ordering (read by Zuul from checked-out plugin
 * repos) is not applied, plugins stay in name order; where Zuul walks a Python set (a variable used
 * by several others) we keep the order of first use, so the output is the same on every run.
 * Zuul's LIBS_FROM_GIT (from the job's required-projects) has no equivalent here: set it in devstack_localrc.
 */
import { InputError } from '../../common/errors.js';

export type ZuulScalar = string | number | boolean | null;

/** The Zuul job variables of one node (what a job's vars / group-vars / host-vars hold). */
export interface DevstackVars {
  devstack_localrc?: Record<string, ZuulScalar>;
  /** phase -> file -> section -> key -> value */
  devstack_local_conf?: Record<string, Record<string, Record<string, Record<string, ZuulScalar>>>>;
  /** service -> enabled; the special key `base` (default true) keeps devstack_base_services */
  devstack_services?: Record<string, ZuulScalar>;
  /** plugin -> repo URL (optionally "URL ref"); an empty value leaves the plugin out */
  devstack_plugins?: Record<string, ZuulScalar>;
  /** the services `base: true` starts from (Zuul's test-matrix list) */
  devstack_base_services?: string[];
}

/** Python's str() of a YAML scalar. */
export function pythonStr(value: ZuulScalar | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

const BASH_VARIABLE = /\$\{?(\w+)/g;

/**
 * localrc assignments in Zuul's order: keys sorted; before each key, the variables of the same dict it
 * refers to, each direct reference followed by the references of that one (Zuul's pre-order walk:
 * for A=$B, B=$C it writes B, C, A, as the role does). A cycle is an error, as in Zuul.
 */
export function orderLocalrc(localrc: Record<string, ZuulScalar>): Array<[string, string]> {
  const values = new Map(Object.entries(localrc).map(([k, v]) => [k, pythonStr(v)]));
  const directDependencies = (key: string): string[] => {
    const found: string[] = [];
    for (const match of (values.get(key) ?? '').matchAll(BASH_VARIABLE)) {
      const name = match[1] as string;
      if (name !== key && values.has(name) && !found.includes(name)) found.push(name);
    }
    return found;
  };
  const recursiveDependencies = (key: string, chain: string[]): string[] => {
    const out: string[] = [];
    for (const dependency of directDependencies(key)) {
      if (chain.includes(dependency)) {
        throw new InputError(`devstack_localrc: the variables refer to each other in a cycle: ${[...chain.slice(chain.indexOf(dependency)), dependency].join(' -> ')}`);
      }
      if (!out.includes(dependency)) out.push(dependency);
      for (const deeper of recursiveDependencies(dependency, [...chain, dependency])) if (!out.includes(deeper)) out.push(deeper);
    }
    return out;
  };
  const out: Array<[string, string]> = [];
  const written = new Set<string>();
  for (const key of [...values.keys()].sort()) {
    for (const name of [...recursiveDependencies(key, [key]), key]) {
      if (written.has(name)) continue;
      written.add(name);
      out.push([name, values.get(name) as string]);
    }
  }
  return out;
}

function localrcLines(vars: DevstackVars): string[] {
  const lines: string[] = [];
  const plugins = vars.devstack_plugins ?? {};
  for (const name of Object.keys(plugins).sort()) {
    const url = plugins[name];
    if (url !== null && url !== undefined && url !== false && url !== '' && url !== 0) lines.push(`enable_plugin ${name} ${pythonStr(url)}`);
  }
  const services = vars.devstack_services;
  const baseServices = vars.devstack_base_services;
  if (services !== undefined || baseServices !== undefined) {
    const { base = true, ...rest } = services ?? {};
    if (base !== false && base !== null && base !== 0 && base !== '' && baseServices && baseServices.length > 0) {
      lines.push(`ENABLED_SERVICES=${baseServices.join(',')}`);
    } else {
      lines.push('disable_all_services');
    }
    for (const [service, enabled] of Object.entries(rest)) {
      if (enabled === false) lines.push(`disable_service ${service}`);
      else if (enabled === true) lines.push(`enable_service ${service}`);
    }
  }
  for (const [key, value] of orderLocalrc(vars.devstack_localrc ?? {})) lines.push(`${key}=${value}`);
  return lines;
}

/** The text of local.conf for one node. */
export function renderLocalConf(vars: DevstackVars): string {
  let text = `[[local|localrc]]\n${localrcLines(vars).join('\n')}\n\n`;
  for (const [phase, files] of Object.entries(vars.devstack_local_conf ?? {})) {
    for (const [file, sections] of Object.entries(files ?? {})) {
      const lines: string[] = [];
      for (const [section, entries] of Object.entries(sections ?? {})) {
        lines.push(`[${section}]`);
        for (const [key, value] of Object.entries(entries ?? {})) lines.push(`${key} = ${pythonStr(value)}`);
        lines.push('');
      }
      text += `[[${phase}|${file}]]\n${lines.join('\n')}`;
    }
  }
  return text;
}

/** Names whose values are secrets: passwords, tokens, keys (ADMIN_PASSWORD, SERVICE_TOKEN, SWIFT_HASH...). */
export const SECRET_NAME = /pass(word|wd)?$|password|secret|token|_key$|^key$|swift_hash/i;

/** Every secret value the variables hold (localrc and local_conf entries with a secret name). */
export function secretValues(vars: DevstackVars): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(vars.devstack_localrc ?? {})) {
    if (SECRET_NAME.test(key) && value !== null && pythonStr(value) !== '') out.push(pythonStr(value));
  }
  for (const files of Object.values(vars.devstack_local_conf ?? {})) {
    for (const sections of Object.values(files ?? {})) {
      for (const entries of Object.values(sections ?? {})) {
        for (const [key, value] of Object.entries(entries ?? {})) {
          if (SECRET_NAME.test(key) && value !== null && pythonStr(value) !== '') out.push(pythonStr(value));
        }
      }
    }
  }
  return [...new Set(out)];
}

/** local.conf fit for the logs: the value of every secret-named assignment replaced by "***". */
export function maskLocalConf(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const shell = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (shell && SECRET_NAME.test(shell[1] as string) && shell[2] !== '') return `${shell[1]}=***`;
      const ini = /^([^=[#;\s][^=]*?)\s*=\s*(.*)$/.exec(line);
      if (ini && SECRET_NAME.test((ini[1] as string).trim()) && ini[2] !== '') return `${(ini[1] as string).trim()} = ***`;
      return line;
    })
    .join('\n');
}
