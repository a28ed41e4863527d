/**
 * Checks every plugin a loaded task names (Rally's syntax validation, rally/task/engine.py
 * _validate_workload): scenario, runner, contexts, SLA criteria, hook actions and triggers.
 * Known plugins: their config against their JSON schema, then their own validateConfig().
 * Unknown to rally-gate but real Rally plugins: reported as unimplemented, not as errors.
 * Unknown to both: an error with the closest known names.
 */
import { InputError, type SourceLocation, type TaskPath } from '../common/errors.js';
import type { JsonValue } from '../common/json.js';
import { findPlugin, listPlugins, type PluginKind } from '../plugins/registry.js';
import { rallyPluginNames, rallyPluginStatus } from './catalog.js';
import { didYouMean, pluginSchemaValidator, problemsFromAjv } from './schema.js';
import type { LoadedTask } from './types.js';

export interface UnimplementedPlugin {
  kind: PluginKind;
  name: string;
  location: SourceLocation;
  path: TaskPath;
}

export interface TaskValidation {
  errors: InputError[];
  unimplemented: UnimplementedPlugin[];
}

/** How each kind of plugin is called in messages. */
const KIND_WORDS: Record<PluginKind, string> = {
  scenario: 'scenario',
  runner: 'runner',
  context: 'context',
  sla: 'SLA criterion',
  hook: 'hook action',
  trigger: 'hook trigger',
};

function knownNames(kind: PluginKind): string[] {
  return [...listPlugins(kind).map((p) => p.name), ...rallyPluginNames(kind)];
}

class PluginChecker {
  readonly errors: InputError[] = [];
  readonly unimplemented: UnimplementedPlugin[] = [];

  constructor(private readonly task: LoadedTask) {}

  private error(message: string, path: TaskPath): void {
    const note = this.task.renderedNote?.(path);
    this.errors.push(new InputError(note ? `${message} (${note})` : message, this.task.locate(path), path));
  }

  /** `namePath` points at the plugin name, `configPath` at its config (often the same path). */
  check(kind: PluginKind, name: string, config: JsonValue | undefined, namePath: TaskPath, configPath: TaskPath = namePath): void {
    const plugin = findPlugin(kind, name);
    if (!plugin) {
      const status = rallyPluginStatus(kind, name);
      if (status === 'available') {
        this.unimplemented.push({ kind, name, location: this.task.locate(namePath), path: namePath });
      } else if (status === 'hidden') {
        this.error(`${KIND_WORDS[kind]} '${name}' is internal to Rally and cannot be set in a task file`, namePath);
      } else {
        this.error(`unknown ${KIND_WORDS[kind]} '${name}'${didYouMean(name, knownNames(kind))}`, namePath);
      }
      return;
    }
    const validate = pluginSchemaValidator(plugin.schema);
    if (!validate(config === undefined ? null : config)) {
      for (const problem of problemsFromAjv(validate.errors, config, configPath)) this.error(problem.message, problem.path);
      return;
    }
    for (const problem of plugin.validateConfig?.(config) ?? []) this.error(problem.message, [...configPath, ...problem.path]);
  }
}

/** Validates the plugins named by a loaded task. Never throws for bad input; returns every finding. */
export function validateTask(task: LoadedTask): TaskValidation {
  const checker = new PluginChecker(task);
  task.config.subtasks.forEach((subtask, i) => {
    subtask.workloads.forEach((workload, j) => {
      const at = ['subtasks', i, 'workloads', j];
      for (const [name, args] of Object.entries(workload.scenario)) checker.check('scenario', name, args, [...at, 'scenario', name]);
      for (const [type, config] of Object.entries(workload.runner)) checker.check('runner', type, config, [...at, 'runner', type]);
      for (const [name, config] of Object.entries(workload.contexts)) checker.check('context', name, config, [...at, 'contexts', name]);
      for (const [name, config] of Object.entries(workload.sla)) checker.check('sla', name, config, [...at, 'sla', name]);
      workload.hooks.forEach((hook, k) => {
        const h = [...at, 'hooks', k];
        for (const [name, config] of Object.entries(hook.action)) checker.check('hook', name, config, [...h, 'action', name]);
        for (const [name, config] of Object.entries(hook.trigger)) checker.check('trigger', name, config, [...h, 'trigger', name]);
      });
    });
  });
  return { errors: checker.errors, unimplemented: checker.unimplemented };
}
