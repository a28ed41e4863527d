/**
 * A task normalised to Rally's v2 form, exactly as Rally's TaskConfig.to_dict() makes it.
 * This is what the loader hands to the engine; key order follows Rally's.
 */
import type { JsonObject, JsonValue } from '../common/json.js';
import type { SourceLocation, TaskPath } from '../common/errors.js';

export interface HookConfig {
  description?: string;
  /** exactly one key: hook plugin name -> its config, e.g. {sys_call: "echo hi"} */
  action: Record<string, JsonValue>;
  /** exactly one key: trigger plugin name -> its config, e.g. {event: {unit: "iteration", at: [1]}} */
  trigger: Record<string, JsonValue>;
}

export interface WorkloadConfig {
  description?: string;
  /** exactly one key: runner type -> config, e.g. {constant: {times: 10, concurrency: 2}} */
  runner: Record<string, JsonObject>;
  /** criterion name -> config; Rally's default is {failure_rate: {max: 0}} */
  sla: Record<string, JsonValue>;
  /** context name -> config */
  contexts: Record<string, JsonValue>;
  hooks: HookConfig[];
  /** exactly one key: scenario name -> args */
  scenario: Record<string, JsonValue>;
}

export interface SubtaskConfig {
  title: string;
  workloads: WorkloadConfig[];
  tags: string[];
  description: string;
  group?: string;
  run_in_parallel?: boolean;
}

export interface TaskConfig {
  version: 2;
  title: string;
  description: string;
  tags: string[];
  subtasks: SubtaskConfig[];
}

/** The result of loading one task file: the normalised config plus a way back to the source. */
export interface LoadedTask {
  /** path of the task file as the user gave it */
  file: string;
  config: TaskConfig;
  /** task args after merging --task-args-file and --task-args */
  args: JsonObject;
  /** the rendered (post-template) text that was parsed */
  renderedText: string;
  /**
   * source location of a path in the *normalised* task, or of its nearest located ancestor;
   * with `{ key: true }` the location of the mapping key rather than of the value (for errors
   * about a name, such as an unknown plugin)
   */
  locate(path: TaskPath, options?: { key?: boolean }): SourceLocation;
  /**
   * Where that path is in the rendered text when that differs from `locate` (templates that add
   * or remove lines), e.g. "line 12 of the rendered task"; undefined when they agree.
   */
  renderedNote?(path: TaskPath): string | undefined;
}

/** Scenario name and args of a workload (the single key of workload.scenario). */
export function workloadScenario(w: WorkloadConfig): { name: string; args: JsonValue } {
  const [name, args] = Object.entries(w.scenario)[0] ?? ['', null];
  return { name, args };
}

/** Runner type and config of a workload (the single key of workload.runner). */
export function workloadRunner(w: WorkloadConfig): { type: string; config: JsonObject } {
  const [type, config] = Object.entries(w.runner)[0] ?? ['serial', {}];
  return { type, config };
}
