/**
 * Task format v1 and v2 to Rally's normalised v2 form, exactly as Rally's TaskConfig does it
 * (rally/task/task_cfg.py: the version check, the v1/v2 structure checks, the conversion and
 * TaskConfig.to_dict()). The steps below repeat Rally's dict operations in the same order, so
 * keys come out in Rally's order too.
 *
 * Besides the config, this produces path rules that map a path in the normalised task back to
 * the path in the parsed document (a v1 workload's runner.constant.times is the `times:` under
 * that workload's `runner:`), so that errors found later can point into the file.
 */
import type { TaskPath } from '../common/errors.js';
import type { JsonObject, JsonValue } from '../common/json.js';
import { pyStr } from './jinja/py.js';
import {
  SUBTASK_COMPLEX_SCHEMA,
  SUBTASK_SIMPLE_SCHEMA,
  TASK_V1_SCHEMA,
  TASK_V2_SCHEMA,
  problemsFromAjv,
  structureValidator,
  type Problem,
} from './schema.js';
import type { TaskConfig } from './types.js';
import { describeYamlType, yamlToJson, type DocumentPath, type YamlValue } from './yaml.js';

/** Maps a normalised path prefix to a document path prefix. */
export interface PathRule {
  normalized: TaskPath;
  document: DocumentPath;
  /** applies to exactly this path, not to paths below it */
  exact?: boolean;
}

export interface NormalizedTask {
  config: TaskConfig;
  /** task format version of the file (1 or 2) */
  version: 1 | 2;
  rules: PathRule[];
}

/** The task file does not have Rally's task structure; `problems` has every finding. */
export class TaskStructureError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'TaskStructureError';
  }
}

type Dict = Record<string, JsonValue>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setKey(target: Dict, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Python's dict.pop(key, default). */
function pop(target: Dict, key: string, fallback?: JsonValue): JsonValue | undefined {
  if (!Object.hasOwn(target, key)) return fallback;
  const value = target[key];
  delete target[key];
  return value;
}

function setDefault(target: Dict, key: string, value: JsonValue): void {
  if (!Object.hasOwn(target, key)) setKey(target, key, value);
}

/** The single (key, value) of a {name: config} mapping, like Rally's list(d.items())[0]. */
function firstItem(value: JsonValue | undefined): [string, JsonValue] {
  const entries = isDict(value) ? Object.entries(value) : [];
  return (entries[0] ?? ['', null]) as [string, JsonValue];
}

function deepCopy<T extends JsonValue>(value: T): T {
  return yamlToJson(value as YamlValue) as T;
}

// ---------------------------------------------------------------------------------------------

function checkVersion(raw: Dict, version: YamlValue | undefined): 1 | 2 {
  // Rally: str(config.get("version", 1)), so 2.0 is "2.0" and is refused
  const text = version === undefined ? '1' : pyStr(version);
  if (text === '1' || text === '2') return Number(text) as 1 | 2;
  throw new TaskStructureError([
    { path: Object.hasOwn(raw, 'version') ? ['version'] : [], message: `Task configuration version ${text} is not supported. Supported versions: 1, 2` },
  ]);
}

/** _process_1: v1 to the intermediate v2 form (plus path rules). */
function processV1(config: Dict, rules: PathRule[]): Dict {
  const validate = structureValidator(TASK_V1_SCHEMA);
  if (!validate(config)) throw new TaskStructureError(problemsFromAjv(validate.errors, config));
  const subtasks: JsonValue[] = [];
  Object.entries(config).forEach(([name, v1Workloads], i) => {
    const workloads: JsonValue[] = [];
    const subtaskPath = ['subtasks', i];
    rules.push({ normalized: subtaskPath, document: [name] });
    (v1Workloads as Dict[]).forEach((v1Workload, j) => {
      const w = ['subtasks', i, 'workloads', j];
      const doc = [name, j];
      rules.push(
        { normalized: w, document: doc },
        { normalized: [...w, 'scenario', name], document: [name], exact: true },
        { normalized: [...w, 'scenario', name], document: [...doc, 'args'] },
        { normalized: [...w, 'contexts'], document: [...doc, 'context'] },
      );
      const workload = deepCopy(v1Workload);
      setKey(workload, 'scenario', { [name]: pop(workload, 'args', {}) as JsonValue });
      setKey(workload, 'contexts', pop(workload, 'context', {}) as JsonValue);
      if (Object.hasOwn(workload, 'runner')) {
        const runner = workload.runner as Dict;
        const runnerType = String(pop(runner, 'type'));
        setKey(workload, 'runner', { [runnerType]: runner });
        rules.push(
          { normalized: [...w, 'runner', runnerType], document: [...doc, 'runner', 'type'], exact: true },
          { normalized: [...w, 'runner', runnerType], document: [...doc, 'runner'] },
        );
      }
      if (Object.hasOwn(workload, 'hooks')) {
        const hooks = workload.hooks as Dict[];
        setKey(
          workload,
          'hooks',
          hooks.map((hook, k) => {
            const trigger = hook.trigger as Dict;
            const actionName = String(hook.name);
            const triggerName = String(trigger.name);
            const h = [...w, 'hooks', k];
            const hookDoc = [...doc, 'hooks', k];
            rules.push(
              { normalized: [...h, 'action'], document: [...hookDoc, 'name'], exact: true },
              { normalized: [...h, 'action', actionName], document: [...hookDoc, 'name'], exact: true },
              { normalized: [...h, 'action', actionName], document: [...hookDoc, 'args'] },
              { normalized: [...h, 'trigger', triggerName], document: [...hookDoc, 'trigger', 'name'], exact: true },
              { normalized: [...h, 'trigger', triggerName], document: [...hookDoc, 'trigger', 'args'] },
            );
            // Rally gives a v1 hook without a description `description: None`; rally-gate leaves the
            // key out (HookConfig.description is an optional string; reports print null either way)
            const converted: Dict = {};
            if (Object.hasOwn(hook, 'description')) setKey(converted, 'description', hook.description as JsonValue);
            setKey(converted, 'action', { [actionName]: hook.args ?? null });
            setKey(converted, 'trigger', { [triggerName]: trigger.args ?? null });
            return converted;
          }),
        );
      }
      workloads.push(workload);
    });
    subtasks.push({ title: name, workloads });
  });
  return { title: 'Task (adopted from task format v1)', subtasks };
}

/** _process_2: checks the v2 structure, turns simple subtasks into complex ones. */
function processV2(config: Dict, rules: PathRule[]): Dict {
  const problems: Problem[] = [];
  const validateTop = structureValidator(TASK_V2_SCHEMA);
  if (!validateTop(config)) problems.push(...problemsFromAjv(validateTop.errors, config));
  const subtasks = Array.isArray(config.subtasks) ? (config.subtasks as JsonValue[]) : [];
  subtasks.forEach((subtask, i) => {
    if (!isDict(subtask)) {
      problems.push({ path: ['subtasks', i], message: `a subtask must be a mapping (with title and scenario, or title and workloads), got ${describeYamlType(subtask)}` });
      return;
    }
    const simple = !Object.hasOwn(subtask, 'workloads');
    const validate = structureValidator(simple ? SUBTASK_SIMPLE_SCHEMA : SUBTASK_COMPLEX_SCHEMA);
    if (!validate(subtask)) problems.push(...problemsFromAjv(validate.errors, subtask, ['subtasks', i]));
  });
  if (problems.length > 0) throw new TaskStructureError(problems);

  subtasks.forEach((subtask, i) => {
    const s = subtask as Dict;
    if (Object.hasOwn(s, 'workloads')) return;
    // a simple subtask is one workload; note that Rally leaves `group` inside the workload
    const workload = deepCopy(s);
    rules.push(
      { normalized: ['subtasks', i, 'workloads', 0], document: ['subtasks', i] },
      { normalized: ['subtasks', i, 'workloads'], document: ['subtasks', i], exact: true },
    );
    subtasks[i] = {
      title: pop(workload, 'title') as JsonValue,
      description: pop(workload, 'description', '') as JsonValue,
      tags: pop(workload, 'tags', []) as JsonValue,
      workloads: [workload],
    };
  });
  return config;
}

/**
 * TaskConfig.__init__ followed by to_dict(). Only the dict operations that leave a trace are
 * repeated (Rally's transient name/args/position/runner_type keys come and go).
 */
function toNormalizedDict(config: Dict, version: 1 | 2): TaskConfig {
  const task: Dict = {
    version: 2,
    title: Object.hasOwn(config, 'title') ? (config.title as JsonValue) : 'Task',
    description: Object.hasOwn(config, 'description') ? (config.description as JsonValue) : '',
    tags: Object.hasOwn(config, 'tags') ? (config.tags as JsonValue) : [],
    subtasks: [],
  };
  for (const rawSubtask of config.subtasks as Dict[]) {
    const subtask = deepCopy(rawSubtask);
    setDefault(subtask, 'tags', []);
    setDefault(subtask, 'description', '');
    // Rally sets contexts on the subtask and deletes it again in to_dict(): no trace left
    for (const workload of subtask.workloads as Dict[]) {
      const [name, args] = firstItem(workload.scenario);
      delete workload.scenario;
      setDefault(workload, 'contexts', {});
      if (Object.hasOwn(workload, 'runner')) {
        const [runnerType, runnerConfig] = firstItem(workload.runner);
        setKey(workload, 'runner', { [runnerType]: runnerConfig }); // keeps its place
      } else {
        setKey(workload, 'runner', { serial: {} });
      }
      setDefault(workload, 'sla', { failure_rate: { max: 0 } });
      const hooks = Object.hasOwn(workload, 'hooks') ? (workload.hooks as Dict[]) : [];
      setKey(
        workload,
        'hooks',
        hooks.map((hook) => {
          const normalized: Dict = {};
          // v2 hooks: description defaults to ""; v1 hooks without one have none (see processV1)
          if (Object.hasOwn(hook, 'description')) setKey(normalized, 'description', hook.description as JsonValue);
          else if (version === 2) setKey(normalized, 'description', '');
          setKey(normalized, 'action', Object.fromEntries([firstItem(hook.action)]));
          setKey(normalized, 'trigger', Object.fromEntries([firstItem(hook.trigger)]));
          return normalized;
        }),
      );
      setKey(workload, 'scenario', { [name]: args });
    }
    (task.subtasks as JsonValue[]).push(subtask);
  }
  return task as unknown as TaskConfig;
}

/**
 * Validates the structure of a parsed task (v1 or v2) and normalises it to v2.
 * Throws TaskStructureError listing every structural problem found.
 */
export function normalizeTask(parsed: YamlValue): NormalizedTask {
  if (parsed === null) {
    throw new TaskStructureError([{ path: [], message: 'the task file is empty (it must hold a v1 or v2 task mapping)' }]);
  }
  if (!isDict(parsed) || Array.isArray(parsed)) {
    throw new TaskStructureError([
      {
        path: [],
        message: `a task must be a mapping ({ScenarioName: [workloads]} for v1, or {version: 2, title, subtasks}), got ${describeYamlType(parsed)}`,
      },
    ]);
  }
  const raw = parsed as { [key: string]: YamlValue };
  const version = checkVersion(parsed as Dict, raw.version);
  const config = yamlToJson(parsed) as JsonObject;
  const rules: PathRule[] = [];
  const processed = version === 1 ? processV1(config, rules) : processV2(config, rules);
  return { config: toNormalizedDict(processed, version), version, rules };
}
