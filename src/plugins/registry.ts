/**
 * One registry for every kind of plugin, like Rally's plugin base: each plugin is defined in
 * its own file with its name and the JSON schema of its config, and registered by name.
 * `src/plugins/index.ts` imports every plugin file (one registry line each).
 */

export type PluginKind = 'scenario' | 'context' | 'sla' | 'hook' | 'trigger' | 'runner';

export interface PluginBase {
  kind: PluginKind;
  /** Rally's name, e.g. "Dummy.dummy", "users", "failure_rate", "sys_call", "event", "constant" */
  name: string;
  /** first line of the docstring-like description (used as the workload description, like Rally) */
  description?: string;
  /** JSON schema of the plugin's config (scenario args, runner config, ...), checked by ajv */
  schema: Record<string, unknown>;
  /**
   * Checks beyond the schema (Rally's validators), run after the schema passed,
   * e.g. the constant runner's "concurrency must not exceed times". Paths are relative to the config.
   */
  validateConfig?(config: unknown): ConfigProblem[];
}

export interface ConfigProblem {
  path: Array<string | number>;
  message: string;
}

const registries = new Map<PluginKind, Map<string, PluginBase>>();

export function registerPlugin<P extends PluginBase>(plugin: P): P {
  let byName = registries.get(plugin.kind);
  if (!byName) {
    byName = new Map();
    registries.set(plugin.kind, byName);
  }
  if (byName.has(plugin.name)) {
    throw new Error(`${plugin.kind} plugin "${plugin.name}" is registered twice`);
  }
  byName.set(plugin.name, plugin);
  return plugin;
}

/** Rally allows "name@platform" (e.g. "users@openstack"); the platform part does not change the lookup here. */
export function basePluginName(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

export function findPlugin<P extends PluginBase = PluginBase>(kind: PluginKind, name: string): P | undefined {
  const byName = registries.get(kind);
  return (byName?.get(name) ?? byName?.get(basePluginName(name))) as P | undefined;
}

export function listPlugins<P extends PluginBase = PluginBase>(kind: PluginKind): P[] {
  return [...(registries.get(kind)?.values() ?? [])] as P[];
}
