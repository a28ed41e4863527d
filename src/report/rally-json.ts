/**
 * Rally's JSON report, format_version 1.2 (rally/plugins/task/exporters/json_exporter.py), written
 * the way Rally writes it: json.dumps(indent=4), the same keys in the same order, floats as floats,
 * `data` sorted by timestamp. `rally task import` accepts the file.
 *
 * The iterations are streamed from each workload's NDJSON file: only their byte offsets and
 * timestamps are held in memory, so a 100k-iteration task never becomes one big string.
 */
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../common/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../common/json.js';
import type {
  AtomicAction,
  ContextResult,
  HookResults,
  IterationResult,
  SlaResult,
  WorkloadRunSummary,
} from '../engine/types.js';
import type { HookConfig, SubtaskConfig, TaskConfig, WorkloadConfig } from '../task/types.js';
import { iterationsInTimestampOrder } from './iteration-file.js';
import { pyFloat, pyJsonDumps, PyFloat, type PyJsonValue } from './python-format.js';
import type { DurationStatsRow, WorkloadStatistics } from './stats.js';
import {
  rallyTimestamp,
  type LoadedRallyReport,
  type LoadedSubtaskRecord,
  type LoadedTaskRecord,
  type LoadedWorkloadRecord,
  type SubtaskRunRecord,
  type TaskRunRecord,
  type WorkloadRunRecord,
} from './types.js';

export const RALLY_JSON_FORMAT_VERSION = '1.2';

export interface RallyJsonOptions {
  /** `info.rally_version`; defaults to the Rally release whose format we write */
  rallyVersion?: string;
  /** `info.generated_at`; defaults to now */
  generatedAt?: Date;
}

/** Write one task as a Rally 1.2 JSON report to `file` (several tasks: pass an array). */
export async function writeRallyJson(
  runs: TaskRunRecord | readonly TaskRunRecord[],
  file: string,
  options: RallyJsonOptions = {},
): Promise<void> {
  const tasks = Array.isArray(runs) ? (runs as readonly TaskRunRecord[]) : [runs as TaskRunRecord];
  const document: StreamingJsonValue = {
    info: {
      rally_version: options.rallyVersion ?? '3.3.0',
      generated_at: rallyTimestamp((options.generatedAt ?? new Date()).toISOString()),
      format_version: RALLY_JSON_FORMAT_VERSION,
    },
    tasks: tasks.map(taskToJson),
  };
  // Write next to the target and rename, so a failed export never leaves a truncated report behind.
  const partial = `${file}.partial-${process.pid}`;
  try {
    // one chunk ahead of the file is enough; more would only wait in memory
    await pipeline(Readable.from(serializeStreaming(document, 0), { highWaterMark: 1 }), createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Record -> Rally JSON values (floats marked so they print as Python floats)

/** A JSON array whose items come from an async source, serialized as they arrive. */
class StreamedArray {
  constructor(readonly items: () => AsyncIterable<PyJsonValue>) {}
}

type StreamingJsonValue = PyJsonValue | StreamedArray | { readonly [key: string]: StreamingJsonValue | undefined } | readonly StreamingJsonValue[];

function floatOrNull(value: number | null | undefined): PyJsonValue {
  return value === null || value === undefined ? null : pyFloat(value);
}

function taskToJson(run: TaskRunRecord): StreamingJsonValue {
  return {
    uuid: run.uuid,
    title: run.title,
    description: run.description,
    status: run.status,
    tags: run.tags,
    env_uuid: run.envUuid,
    env_name: run.envName,
    created_at: rallyTimestamp(run.createdAt),
    updated_at: rallyTimestamp(run.updatedAt),
    pass_sla: run.passSla,
    subtasks: run.subtasks.map(subtaskToJson),
  };
}

function subtaskToJson(subtask: SubtaskRunRecord): StreamingJsonValue {
  return {
    uuid: subtask.uuid,
    title: subtask.config.title,
    description: subtask.config.description ?? '',
    status: subtask.status,
    created_at: rallyTimestamp(subtask.createdAt),
    updated_at: rallyTimestamp(subtask.updatedAt),
    // Rally keeps a subtask-level sla that task files cannot set: always {}.
    sla: {},
    workloads: subtask.workloads.map(workloadToJson),
  };
}

function workloadToJson(workload: WorkloadRunRecord): StreamingJsonValue {
  const { config, summary } = workload;
  return {
    uuid: summary.uuid,
    description: workload.description,
    runner: config.runner as JsonObject,
    hooks: hooksToJson(config.hooks, summary.hooks),
    scenario: config.scenario,
    min_duration: floatOrNull(summary.minDuration),
    max_duration: floatOrNull(summary.maxDuration),
    start_time: floatOrNull(summary.startTime),
    load_duration: pyFloat(summary.loadDuration),
    full_duration: pyFloat(summary.fullDuration),
    statistics: statisticsToJson(workload.statistics),
    data: new StreamedArray(() => sortedIterations(summary.iterationsFile, summary.totalIterationCount)),
    failed_iteration_count: summary.failedIterationCount,
    total_iteration_count: summary.totalIterationCount,
    created_at: rallyTimestamp(summary.createdAt),
    updated_at: rallyTimestamp(summary.updatedAt),
    contexts: config.contexts,
    contexts_results: summary.contextsResults.map(contextResultToJson),
    position: summary.position,
    pass_sla: summary.passSla,
    sla_results: { sla: summary.slaResults.map(slaResultToJson) },
    sla: config.sla,
  };
}

function hookConfigToJson(config: HookConfig): PyJsonValue {
  return { action: config.action, trigger: config.trigger, description: config.description ?? null };
}

/** Rally lists every configured hook, with its results once it ran ({} summary if it never fired). */
function hooksToJson(configured: readonly HookConfig[], results: readonly HookResults[]): PyJsonValue {
  if (results.length === 0) {
    return configured.map((config) => ({ config: hookConfigToJson(config), results: [], summary: {} }));
  }
  return results.map((hook) => ({
    config: hookConfigToJson(hook.config),
    results: hook.results.map((r) => ({
      status: r.status,
      started_at: pyFloat(r.started_at),
      finished_at: pyFloat(r.finished_at),
      triggered_by: r.triggered_by,
      error: r.error,
      output: r.output as unknown as PyJsonValue,
    })),
    summary: hook.summary,
  }));
}

function statsRowToJson(row: DurationStatsRow): PyJsonValue {
  const value = (v: number | 'n/a'): PyJsonValue => (v === 'n/a' ? v : pyFloat(v));
  const d = row.data;
  return {
    data: {
      iteration_count: d.iteration_count,
      min: value(d.min),
      median: value(d.median),
      '90%ile': value(d['90%ile']),
      '95%ile': value(d['95%ile']),
      max: value(d.max),
      avg: value(d.avg),
      success: d.success,
    },
    count_per_iteration: row.count_per_iteration,
    name: row.name,
    display_name: row.display_name,
    children: row.children.map(statsRowToJson),
  };
}

function statisticsToJson(statistics: WorkloadStatistics): PyJsonValue {
  return {
    durations: {
      total: statsRowToJson(statistics.durations.total),
      atomics: statistics.durations.atomics.map(statsRowToJson),
    },
  };
}

function slaResultToJson(result: SlaResult): PyJsonValue {
  return { criterion: result.criterion, success: result.success, detail: result.detail };
}

function atomicActionToJson(action: AtomicAction): PyJsonValue {
  return {
    name: action.name,
    children: action.children.map(atomicActionToJson),
    started_at: pyFloat(action.started_at),
    finished_at: pyFloat(action.finished_at),
    failed: action.failed,
  };
}

/** Rally stores a context error as [type, message, traceback]; accept the object form too. */
function contextErrorToJson(error: unknown): PyJsonValue {
  if (error === null || error === undefined) return null;
  if (Array.isArray(error)) return error as PyJsonValue;
  if (isJsonObject(error)) {
    const e = error as { etype?: unknown; msg?: unknown; traceback?: unknown };
    return [String(e.etype ?? ''), String(e.msg ?? ''), String(e.traceback ?? '')];
  }
  return [String(error), '', ''];
}

function contextResultToJson(result: ContextResult): PyJsonValue {
  const phase = (record: ContextResult['setup']): PyJsonValue => ({
    started_at: floatOrNull(record.started_at),
    finished_at: floatOrNull(record.finished_at),
    atomic_actions: (record.atomic_actions ?? []).map(atomicActionToJson),
    error: contextErrorToJson(record.error),
  });
  return {
    plugin_name: result.plugin_name,
    plugin_cfg: result.plugin_cfg,
    setup: phase(result.setup),
    cleanup: phase(result.cleanup),
  };
}

/** One `data` element, keys in Rally's order. */
export function iterationToJson(iteration: IterationResult): PyJsonValue {
  return {
    duration: pyFloat(iteration.duration),
    timestamp: pyFloat(iteration.timestamp),
    idle_duration: pyFloat(iteration.idle_duration),
    error: iteration.error,
    output: {
      additive: (iteration.output?.additive ?? []) as unknown as PyJsonValue,
      complete: (iteration.output?.complete ?? []) as unknown as PyJsonValue,
    },
    atomic_actions: iteration.atomic_actions.map(atomicActionToJson),
  };
}

// ---------------------------------------------------------------------------------------------
// Streaming serializer: Python's json.dumps(indent=4) layout, emitted in chunks

const INDENT = 4;
const CHUNK_CHARS = 1 << 16;

async function* serializeStreaming(value: StreamingJsonValue, level: number): AsyncGenerator<string> {
  if (value instanceof StreamedArray) {
    yield* serializeStreamedArray(value, level);
    return;
  }
  if (!containsStreamed(value)) {
    yield pyJsonDumps(value as PyJsonValue, INDENT, level);
    return;
  }
  const inner = '\n' + ' '.repeat(INDENT * (level + 1));
  const outer = '\n' + ' '.repeat(INDENT * level);
  if (Array.isArray(value)) {
    const items = value as readonly StreamingJsonValue[];
    for (const [i, item] of items.entries()) {
      yield (i === 0 ? '[' : ',') + inner;
      yield* serializeStreaming(item, level + 1);
    }
    yield outer + ']';
    return;
  }
  const entries = Object.entries(value as Record<string, StreamingJsonValue | undefined>).filter(
    (e): e is [string, StreamingJsonValue] => e[1] !== undefined,
  );
  for (const [i, [key, item]] of entries.entries()) {
    yield `${i === 0 ? '{' : ','}${inner}${pyJsonDumps(key)}: `;
    yield* serializeStreaming(item, level + 1);
  }
  yield outer + '}';
}

async function* serializeStreamedArray(array: StreamedArray, level: number): AsyncGenerator<string> {
  const inner = '\n' + ' '.repeat(INDENT * (level + 1));
  let pending = '';
  let count = 0;
  for await (const item of array.items()) {
    pending += (count === 0 ? '[' : ',') + inner + pyJsonDumps(item, INDENT, level + 1);
    count += 1;
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  yield count === 0 ? '[]' : pending + '\n' + ' '.repeat(INDENT * level) + ']';
}

function containsStreamed(value: StreamingJsonValue): boolean {
  if (value instanceof StreamedArray) return true;
  if (value === null || typeof value !== 'object' || value instanceof PyFloat) return false;
  const children = Array.isArray(value) ? value : Object.values(value as object);
  return (children as StreamingJsonValue[]).some((child) => child !== undefined && containsStreamed(child));
}

/** The iterations of an NDJSON file as Rally JSON values, sorted by timestamp (stable). */
async function* sortedIterations(file: string, expectedCount: number): AsyncGenerator<PyJsonValue> {
  for await (const iteration of iterationsInTimestampOrder(file, expectedCount)) yield iterationToJson(iteration);
}

// ---------------------------------------------------------------------------------------------
// Reading Rally JSON reports back

function fail(file: string, path: string, message: string): never {
  throw new InputError(`${path ? `${path}: ` : ''}${message}`, { file });
}

function objectAt(file: string, value: unknown, path: string): Record<string, unknown> {
  if (!isJsonObject(value)) fail(file, path, 'must be an object');
  return value as Record<string, unknown>;
}

function arrayAt(file: string, value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(file, path, 'must be an array');
  return value;
}

function stringAt(file: string, value: unknown, path: string, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string') fail(file, path, 'must be a string');
  return value;
}

function numberAt(file: string, value: unknown, path: string): number {
  if (typeof value !== 'number') fail(file, path, 'must be a number');
  return value;
}

function numberOrNullAt(file: string, value: unknown, path: string): number | null {
  return value === null || value === undefined ? null : numberAt(file, value, path);
}

/** Rally keeps a context error as [type, message, traceback]; our records use the object form. */
function contextErrorFromJson(error: unknown): ContextResult['setup']['error'] {
  if (Array.isArray(error)) {
    const [etype = '', msg = '', traceback = ''] = error.map(String);
    return { etype, msg, traceback };
  }
  if (isJsonObject(error)) {
    return { etype: String(error['etype'] ?? ''), msg: String(error['msg'] ?? ''), traceback: String(error['traceback'] ?? '') };
  }
  return null;
}

function contextResultFromJson(value: unknown): ContextResult {
  const result = value as Record<string, unknown>;
  const phase = (raw: unknown): ContextResult['setup'] => {
    const record = (isJsonObject(raw) ? raw : {}) as Record<string, unknown>;
    return {
      started_at: record['started_at'] as number,
      finished_at: record['finished_at'] as number,
      atomic_actions: (record['atomic_actions'] as AtomicAction[] | null) ?? [],
      error: contextErrorFromJson(record['error']),
    };
  };
  return {
    plugin_name: String(result['plugin_name'] ?? ''),
    plugin_cfg: (result['plugin_cfg'] ?? null) as JsonValue,
    setup: phase(result['setup']),
    cleanup: phase(result['cleanup']),
  };
}

function workloadFromJson(file: string, raw: unknown, path: string, subtaskIndex: number): LoadedWorkloadRecord {
  const w = objectAt(file, raw, path);
  const hooks = arrayAt(file, w['hooks'] ?? [], `${path}.hooks`) as HookResults[];
  const description = stringAt(file, w['description'], `${path}.description`, '');
  const config: WorkloadConfig = {
    description,
    runner: objectAt(file, w['runner'], `${path}.runner`) as Record<string, JsonObject>,
    sla: objectAt(file, w['sla'], `${path}.sla`) as Record<string, JsonValue>,
    contexts: objectAt(file, w['contexts'] ?? {}, `${path}.contexts`) as Record<string, JsonValue>,
    hooks: hooks.map((h) => h.config as HookConfig),
    scenario: objectAt(file, w['scenario'], `${path}.scenario`) as Record<string, JsonValue>,
  };
  const data = arrayAt(file, w['data'], `${path}.data`) as IterationResult[];
  // Stable sort, like Python's list.sort: ties keep file order.
  const iterations = data
    .map((iteration, index) => ({ iteration, index }))
    .sort((a, b) => a.iteration.timestamp - b.iteration.timestamp || a.index - b.index)
    .map((entry) => entry.iteration);
  const slaResults = (objectAt(file, w['sla_results'] ?? {}, `${path}.sla_results`)['sla'] ?? []) as SlaResult[];
  const summary: Omit<WorkloadRunSummary, 'iterationsFile'> = {
    uuid: stringAt(file, w['uuid'], `${path}.uuid`, ''),
    subtaskIndex,
    position: numberAt(file, w['position'], `${path}.position`),
    totalIterationCount: numberAt(file, w['total_iteration_count'], `${path}.total_iteration_count`),
    failedIterationCount: numberAt(file, w['failed_iteration_count'], `${path}.failed_iteration_count`),
    startTime: numberOrNullAt(file, w['start_time'], `${path}.start_time`),
    loadDuration: numberAt(file, w['load_duration'], `${path}.load_duration`),
    fullDuration: numberAt(file, w['full_duration'], `${path}.full_duration`),
    minDuration: numberOrNullAt(file, w['min_duration'], `${path}.min_duration`),
    maxDuration: numberOrNullAt(file, w['max_duration'], `${path}.max_duration`),
    createdAt: stringAt(file, w['created_at'], `${path}.created_at`, ''),
    updatedAt: stringAt(file, w['updated_at'], `${path}.updated_at`, ''),
    contextsResults: arrayAt(file, w['contexts_results'] ?? [], `${path}.contexts_results`).map(contextResultFromJson),
    hooks,
    slaResults,
    passSla: w['pass_sla'] === true,
  };
  return {
    config,
    description,
    summary,
    statistics: objectAt(file, w['statistics'], `${path}.statistics`) as unknown as WorkloadStatistics,
    iterations,
  };
}

function taskFromJson(file: string, raw: unknown, path: string): LoadedTaskRecord {
  const t = objectAt(file, raw, path);
  const subtasks: LoadedSubtaskRecord[] = arrayAt(file, t['subtasks'], `${path}.subtasks`).map((rawSubtask, s) => {
    const subtaskPath = `${path}.subtasks[${s}]`;
    const st = objectAt(file, rawSubtask, subtaskPath);
    const workloads = arrayAt(file, st['workloads'], `${subtaskPath}.workloads`).map((w, i) =>
      workloadFromJson(file, w, `${subtaskPath}.workloads[${i}]`, s),
    );
    const config: SubtaskConfig = {
      title: stringAt(file, st['title'], `${subtaskPath}.title`, ''),
      description: stringAt(file, st['description'], `${subtaskPath}.description`, ''),
      tags: [],
      workloads: workloads.map((w) => w.config),
    };
    return {
      uuid: stringAt(file, st['uuid'], `${subtaskPath}.uuid`, ''),
      config,
      status: stringAt(file, st['status'], `${subtaskPath}.status`, 'finished') as LoadedSubtaskRecord['status'],
      createdAt: stringAt(file, st['created_at'], `${subtaskPath}.created_at`, ''),
      updatedAt: stringAt(file, st['updated_at'], `${subtaskPath}.updated_at`, ''),
      workloads,
    };
  });
  const title = stringAt(file, t['title'], `${path}.title`, '');
  const description = stringAt(file, t['description'], `${path}.description`, '');
  const tags = arrayAt(file, t['tags'] ?? [], `${path}.tags`).map(String);
  const task: TaskConfig = { version: 2, title, description, tags, subtasks: subtasks.map((s) => s.config) };
  return {
    uuid: stringAt(file, t['uuid'], `${path}.uuid`, ''),
    task,
    title,
    description,
    tags,
    envName: stringAt(file, t['env_name'], `${path}.env_name`, 'n/a'),
    envUuid: stringAt(file, t['env_uuid'], `${path}.env_uuid`, 'n/a'),
    status: stringAt(file, t['status'], `${path}.status`, 'finished'),
    createdAt: stringAt(file, t['created_at'], `${path}.created_at`, ''),
    updatedAt: stringAt(file, t['updated_at'], `${path}.updated_at`, ''),
    passSla: t['pass_sla'] !== false,
    subtasks,
  };
}

/**
 * Load a Rally JSON report (`rally task report --json`, format_version 1.0–1.2) into records.
 * The old list format of `rally task results` is refused with a hint.
 */
export async function readRallyJson(file: string): Promise<LoadedRallyReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError('file not found', { file });
    throw new InputError(`not valid JSON: ${(error as Error).message}`, { file });
  }
  if (Array.isArray(parsed)) {
    throw new InputError('this is the old "rally task results" format, not a Rally JSON report', { file }, undefined, [
      'export it with: rally task report --uuid <task> --json --out report.json',
    ]);
  }
  const root = objectAt(file, parsed, '');
  const info = objectAt(file, root['info'] ?? {}, 'info');
  return {
    info: {
      rally_version: String(info['rally_version'] ?? ''),
      generated_at: String(info['generated_at'] ?? ''),
      format_version: String(info['format_version'] ?? ''),
    },
    tasks: arrayAt(file, root['tasks'], 'tasks').map((t, i) => taskFromJson(file, t, `tasks[${i}]`)),
  };
}
