/**
 * The context plugin API and the context manager (rally/task/context.py ContextManager):
 * contexts are set up in ascending `order`, cleaned up in reverse, and cleanup runs for every
 * context whose setup was started, whatever happened (setup failure, runner failure, abort).
 * Each context run is recorded as a ContextResult like Rally's contexts_results.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../common/json.js';
import { InputError } from '../common/errors.js';
import { findPlugin, registerPlugin, type PluginBase } from '../plugins/registry.js';
import { AtomicRecorder } from './atomic.js';
import { epochSecondsAt, monotonicMs } from './clock.js';
import { formatContextError } from './exceptions.js';
import type { ContextData, WorkloadInfo } from './scenario.js';
import type { ContextResult, ContextRunRecord } from './types.js';

/** What a context's setup()/cleanup() get. */
export interface ContextRunApi {
  /** the context's config, with the plugin's defaultConfig applied (Rally's self.config) */
  readonly config: JsonValue;
  /** the data bag the scenarios will see; setup() fills it, cleanup() reads it */
  readonly data: ContextData;
  readonly workload: WorkloadInfo;
  /** aborted when the run is stopped manually; long setups should give up */
  readonly signal: AbortSignal;
  /** Times `fn` as an atomic action of this setup/cleanup (recorded in contexts_results). */
  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
}

/** One context of one workload. State kept between setup and cleanup lives in the instance. */
export interface ContextInstance {
  setup(api: ContextRunApi): Promise<void> | void;
  cleanup(api: ContextRunApi): Promise<void> | void;
}

export interface ContextPlugin extends PluginBase {
  kind: 'context';
  /** smaller runs first (Rally: users 100, quotas 300, ..., dummy_context 750, cleanup = max) */
  order: number;
  /** Rally's platform, part of the full name "name@platform" */
  platform: string;
  /** hidden contexts cannot be configured in a task, only requested by scenarios as defaults */
  hidden?: boolean;
  /** merged under a dict config (Rally's DEFAULT_CONFIG) */
  defaultConfig?: JsonObject;
  create(): ContextInstance;
}

export function registerContext(
  spec: Omit<ContextPlugin, 'kind' | 'platform'> & { platform?: string },
): ContextPlugin {
  return registerPlugin<ContextPlugin>({ ...spec, kind: 'context', platform: spec.platform ?? 'default' });
}

export function contextFullName(plugin: ContextPlugin): string {
  return `${plugin.name}@${plugin.platform}`;
}

interface PreparedContext {
  plugin: ContextPlugin;
  config: JsonValue;
  instance: ContextInstance;
  result: ContextResult;
}

function emptyRecord(): ContextRunRecord {
  return { started_at: null, finished_at: null, atomic_actions: [], error: null } as unknown as ContextRunRecord;
}

/**
 * The contexts of one workload: the scenario's default contexts, then the workload's own
 * (which override a default of the same full name), sorted by order (stable, like Python's sort).
 */
export class ContextManager {
  private readonly contexts: PreparedContext[];
  /** contexts whose setup was started, in setup order */
  private readonly visited: PreparedContext[] = [];
  readonly data: ContextData = {};

  constructor(
    defaultContexts: Record<string, JsonValue>,
    workloadContexts: Record<string, JsonValue>,
    private readonly workload: WorkloadInfo,
    private readonly signal: AbortSignal,
  ) {
    const byFullName = new Map<string, { plugin: ContextPlugin; config: JsonValue }>();
    const add = (name: string, config: JsonValue, allowHidden: boolean): void => {
      const plugin = findPlugin<ContextPlugin>('context', name);
      if (!plugin) throw new InputError(`context "${name}" is not implemented by rally-gate`);
      if (plugin.hidden && !allowHidden) throw new InputError(`context "${name}" cannot be configured in a task`);
      byFullName.set(contextFullName(plugin), { plugin, config });
    };
    for (const [name, config] of Object.entries(defaultContexts)) add(name, config, true);
    for (const [name, config] of Object.entries(workloadContexts)) add(name, config, false);
    this.contexts = [...byFullName.values()]
      .map(({ plugin, config }) => {
        const effective =
          isJsonObject(config) && plugin.defaultConfig ? { ...plugin.defaultConfig, ...config } : config;
        return {
          plugin,
          config: effective,
          instance: plugin.create(),
          result: {
            plugin_name: contextFullName(plugin),
            plugin_cfg: effective,
            setup: emptyRecord(),
            cleanup: emptyRecord(),
          },
        };
      })
      .sort((a, b) => a.plugin.order - b.plugin.order);
  }

  /** contexts_results in setup order; only contexts whose setup was started (like Rally). */
  results(): ContextResult[] {
    return this.visited.map((c) => c.result);
  }

  /** Sets up every context in order; throws the first setup error (after recording it). */
  async setup(): Promise<void> {
    for (const context of this.contexts) {
      if (this.signal.aborted) return;
      this.visited.push(context);
      const failure = await this.runPhase(context, 'setup');
      if (failure !== undefined) throw failure;
    }
  }

  /** Cleans up every visited context in reverse order; errors are recorded, never thrown. */
  async cleanup(): Promise<void> {
    for (const context of [...this.visited].reverse()) {
      await this.runPhase(context, 'cleanup');
    }
  }

  private async runPhase(context: PreparedContext, phase: 'setup' | 'cleanup'): Promise<unknown> {
    const atomics = new AtomicRecorder();
    const api: ContextRunApi = {
      config: context.config,
      data: this.data,
      workload: this.workload,
      signal: this.signal,
      atomic: (name, fn) => atomics.time(name, fn),
    };
    const record = context.result[phase];
    const startMono = monotonicMs();
    let failure: unknown;
    try {
      await context.instance[phase](api);
    } catch (error) {
      failure = error ?? new Error('context failed');
      record.error = formatContextError(error);
    }
    record.started_at = epochSecondsAt(startMono);
    record.finished_at = epochSecondsAt(monotonicMs());
    record.atomic_actions = atomics.actions;
    return failure;
  }
}
