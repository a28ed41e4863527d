/**
 * The scenario plugin API. A scenario reads like Rally's: a name, its args' schema, and an
 * async run() that does one iteration using a few atomic actions:
 *
 *   registerScenario({
 *     name: 'Dummy.dummy',
 *     description: 'Do nothing and sleep for the given number of seconds (0 by default).',
 *     schema: { type: 'object', properties: { sleep: { type: 'number', minimum: 0 } }, additionalProperties: false },
 *     async run(ctx, { sleep = 0 }: { sleep?: number }) {
 *       await ctx.atomic('foo', () => ctx.atomic('bar', () => ctx.sleep(sleep)));
 *     },
 *   });
 */
import type { JsonValue } from '../common/json.js';
import { registerPlugin, type PluginBase } from '../plugins/registry.js';
import type { OutputKind } from './charts.js';
import type { Chart } from './types.js';

/**
 * What contexts put at the scenarios' disposal (Rally's context dict: users, tenants, admin, ...).
 * Contexts fill it in setup(); scenarios only read it. Platform code may add typed fields with
 * declaration merging: `declare module '../engine/scenario.js' { interface ContextData { users?: User[] } }`.
 */
export interface ContextData {
  [key: string]: unknown;
}

/** Identity of the workload being run (Rally's context_obj task/owner_id/scenario_name/env). */
export interface WorkloadInfo {
  taskUuid: string;
  /** the workload uuid; Rally's owner_id for resource names created by contexts and scenarios */
  workloadUuid: string;
  scenarioName: string;
  subtaskIndex: number;
  position: number;
  /** the environment's platform data (credentials etc.), whatever the CLI passed to runWorkload */
  environment: Readonly<Record<string, unknown>>;
}

/** The per-iteration API a scenario's run() receives. */
export interface ScenarioContext {
  /** 1-based iteration number (Rally's context["iteration"]) */
  readonly iteration: number;
  /** aborted when the iteration times out or the run is cancelled; pass it to I/O calls */
  readonly signal: AbortSignal;
  /** data prepared by the workload's contexts; shared by all iterations: do not modify */
  readonly context: Readonly<ContextData>;
  readonly workload: WorkloadInfo;
  /** uniform [0, 1); deterministic per iteration when runWorkload got a randomSeed */
  random(): number;
  /** Times `fn` as atomic action `name` (nested calls become children). */
  atomic<T>(name: string, fn: () => T | Promise<T>): Promise<T>;
  /** Interruptible precise sleep, counted in the iteration's duration (Rally's utils.interruptable_sleep). */
  sleep(seconds: number): Promise<void>;
  /**
   * Sleeps a uniformly random time in [minSeconds, maxSeconds], counted in idle_duration and not in
   * duration (Rally's Scenario.sleep_between).
   */
  sleepBetween(minSeconds: number, maxSeconds?: number): Promise<void>;
  /** Adds a custom output chart (Rally's Scenario.add_output); throws RallyException when invalid. */
  addOutput(kind: OutputKind, chart: Chart): void;
}

export interface ScenarioPlugin<Args = Record<string, unknown>> extends PluginBase {
  kind: 'scenario';
  /** Rally's platform; 'default' for Dummy/HttpRequests, 'openstack' for cloud scenarios */
  platform: string;
  /** contexts created for this scenario unless the workload configures them (e.g. {cleanup: [...]}) */
  defaultContexts?: Record<string, JsonValue>;
  /** One iteration. `args` is the workload's args object, frozen (Rally isolates args per iteration). */
  run(ctx: ScenarioContext, args: Args): Promise<void> | void;
}

/** Registers a scenario plugin (kind and default platform filled in). */
export function registerScenario<Args>(
  spec: Omit<ScenarioPlugin<Args>, 'kind' | 'platform'> & { platform?: string },
): ScenarioPlugin<Args> {
  return registerPlugin<ScenarioPlugin<Args>>({ ...spec, kind: 'scenario', platform: spec.platform ?? 'default' });
}
