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
import { closestNames, didYouMean, pluginSchemaValidator, problemsFromAjv } from './schema.js';
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

/** Names from older Rally versions that Rally 3.3.0 no longer knows, with what to write instead. */
const LEGACY_HINTS: Record<string, string> = {
  'sla max_failure_percent': ' (an SLA of old Rally versions; write failure_rate: {max: <percent>} instead)',
};

/** How each kind of plugin is called in messages. */
const KIND_WORDS: Record<PluginKind, string> = {
  scenario: 'scenario',
  runner: 'runner',
  context: 'context',
  sla: 'SLA criterion',
  hook: 'hook action',
  trigger: 'hook trigger',
};

/** " (did you mean ...?)" for an unknown name; "users@default" is compared by its "users" part. */
function hintFor(kind: PluginKind, name: string): string {
  const at = name.indexOf('@');
  if (at < 0) return didYouMean(name, [...listPlugins(kind).map((p) => p.name), ...rallyPluginNames(kind)]);
  const base = name.slice(0, at);
  const close = closestNames(base, [...listPlugins(kind).map((p) => p.name), ...rallyPluginNames(kind)]);
  const full = rallyPluginNames(kind, true).filter((candidate) => close.includes(candidate.slice(0, candidate.indexOf('@'))));
  const names = [...new Set([...full, ...close.filter((c) => !full.some((f) => f.startsWith(`${c}@`)))])].slice(0, 3);
  return names.length > 0 ? ` (did you mean ${names.map((n) => `'${n}'`).join(', ')}?)` : '';
}

class PluginChecker {
  readonly errors: InputError[] = [];
  readonly unimplemented: UnimplementedPlugin[] = [];

  constructor(private readonly task: LoadedTask) {}

  /** `atKey`: the error is about the name (the mapping key) at `path`, not its value. */
  private error(message: string, path: TaskPath, atKey = false): void {
    const note = this.task.renderedNote?.(path);
    this.errors.push(new InputError(note ? `${message} (${note})` : message, this.task.locate(path, { key: atKey }), path));
  }

  /** `namePath` points at the plugin name, `configPath` at its config (often the same path). */
  check(kind: PluginKind, name: string, config: JsonValue | undefined, namePath: TaskPath, configPath: TaskPath = namePath): void {
    const plugin = findPlugin(kind, name);
    // Hidden plugins (Rally's cleanup contexts) are added by scenarios, never named in a task.
    if (plugin && (plugin as { hidden?: boolean }).hidden) {
      this.error(`${KIND_WORDS[kind]} '${name}' is internal to Rally and cannot be set in a task file`, namePath, true);
      return;
    }
    if (!plugin) {
      const status = rallyPluginStatus(kind, name);
      if (status === 'available') {
        this.unimplemented.push({ kind, name, location: this.task.locate(namePath, { key: true }), path: namePath });
      } else if (status === 'hidden') {
        this.error(`${KIND_WORDS[kind]} '${name}' is internal to Rally and cannot be set in a task file`, namePath, true);
      } else {
        this.error(`unknown ${KIND_WORDS[kind]} '${name}'${LEGACY_HINTS[`${kind} ${name}`] ?? hintFor(kind, name)}`, namePath, true);
      }
      return;
    }
    const validate = pluginSchemaValidator(plugin.schema);
    if (!validate(config === undefined ? null : config)) {
      this.errorsInFileOrder(problemsFromAjv(validate.errors, config, configPath));
      return;
    }
    const problems = plugin.validateConfig?.(config) ?? [];
    this.errorsInFileOrder(problems.map((p) => ({ path: [...configPath, ...p.path], message: p.message })));
  }

  private errorsInFileOrder(problems: Array<{ path: TaskPath; message: string; atKey?: boolean }>): void {
    const located = problems.map((p) => ({ ...p, at: this.task.locate(p.path, { key: p.atKey === true }) }));
    located.sort((a, b) => (a.at.line ?? 0) - (b.at.line ?? 0) || (a.at.column ?? 0) - (b.at.column ?? 0));
    for (const problem of located) this.error(problem.message, problem.path, problem.atKey === true);
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
