/**
 * Hooks (rally/task/hook.py): an action (e.g. sys_call) run when its trigger fires on an event.
 * Events are "iteration" (value = the iteration number, sent when the iteration starts) and
 * "time" (value = whole seconds since the first iteration started, sent every second from 0 until
 * the workload is over). Actions run concurrently with the load and never delay launches; the
 * workload waits for them at its end. Results are grouped per trigger event type in the order the
 * event types first appear, as Rally's HookExecutor does.
 */
import type { JsonValue } from '../common/json.js';
import { InputError } from '../common/errors.js';
import { findPlugin, registerPlugin, type PluginBase } from '../plugins/registry.js';
import type { HookConfig } from '../task/types.js';
import { validateOutput, type OutputKind } from './charts.js';
import { coarseScheduler, epochSecondsAt, monotonicMs, type ScheduledCall } from './clock.js';
import { RallyException, describeThrown, formatTraceback } from './exceptions.js';
import type { Chart, HookResults, HookRunResult, IterationOutput } from './types.js';

export type HookEventType = 'iteration' | 'time';

/** What a hook action's run() gets (Rally's HookAction methods). */
export interface HookRunApi {
  /** the action's config, e.g. the command string of sys_call */
  readonly config: JsonValue;
  /** working directory for commands (the CLI's cwd, like Rally) */
  readonly cwd: string;
  /** marks the run failed with an error (Rally's set_error) */
  setError(etype: string, msg: string, details: string): void;
  /** adds an output chart; throws RallyException when invalid (Rally's add_output) */
  addOutput(kind: OutputKind, chart: Chart): void;
}

export interface HookActionPlugin extends PluginBase {
  kind: 'hook';
  /** called when a workload using this action is prepared, before its load (e.g. to start helpers) */
  prepare?(): void;
  run(api: HookRunApi): Promise<void>;
}

export interface HookTriggerPlugin extends PluginBase {
  kind: 'trigger';
  /** the event type this trigger config listens to (its `unit`) */
  listensTo(config: JsonValue): HookEventType;
  /** whether an event of the listened type with `value` fires the action */
  fires(config: JsonValue, value: number): boolean;
}

export function registerHookAction(spec: Omit<HookActionPlugin, 'kind'>): HookActionPlugin {
  return registerPlugin<HookActionPlugin>({ ...spec, kind: 'hook' });
}

export function registerHookTrigger(spec: Omit<HookTriggerPlugin, 'kind'>): HookTriggerPlugin {
  return registerPlugin<HookTriggerPlugin>({ ...spec, kind: 'trigger' });
}

/** Runs one hook action once and records it like Rally's HookAction.run_sync(). */
export async function runHookAction(
  action: HookActionPlugin,
  config: JsonValue,
  cwd: string,
  triggeredBy: HookRunResult['triggered_by'],
): Promise<HookRunResult> {
  // Key order as Rally's result dict: status, started_at, finished_at, triggered_by, error, output.
  const result: HookRunResult = { status: 'success', started_at: 0, finished_at: 0, triggered_by: triggeredBy };
  let output: IterationOutput | undefined;
  const api: HookRunApi = {
    config,
    cwd,
    setError(etype, msg, details) {
      result.status = 'failed';
      result.error = { etype, msg, details };
    },
    addOutput(kind, chart) {
      const problem = validateOutput(kind, chart);
      if (problem) throw new RallyException(problem);
      output ??= result.output = { additive: [], complete: [] };
      output[kind].push(chart);
    },
  };
  const startMono = monotonicMs();
  try {
    await action.run(api);
  } catch (error) {
    const { type, message } = describeThrown(error);
    api.setError(type, message, formatTraceback(error));
  }
  result.started_at = epochSecondsAt(startMono);
  result.finished_at = epochSecondsAt(monotonicMs());
  return result;
}

interface ArmedHook {
  config: HookConfig;
  action: HookActionPlugin;
  actionConfig: JsonValue;
  trigger: HookTriggerPlugin;
  triggerConfig: JsonValue;
  runs: Array<Promise<HookRunResult>>;
}

function singleEntry(record: Record<string, JsonValue>, what: string): [string, JsonValue] {
  const entries = Object.entries(record);
  if (entries.length !== 1) throw new InputError(`hook ${what} must have exactly one key`);
  return entries[0]!;
}

/** Listens to a workload's events and runs its hooks (Rally's HookExecutor). */
export class HookExecutor {
  private readonly byEvent = new Map<HookEventType, ArmedHook[]>();
  private timerStartMono: number | undefined;
  private nextSecond = 0;
  private timerCall: ScheduledCall | undefined;
  private stopped = false;

  constructor(
    hooks: HookConfig[],
    private readonly cwd: string,
  ) {
    for (const config of hooks) {
      const [actionName, actionConfig] = singleEntry(config.action, 'action');
      const [triggerName, triggerConfig] = singleEntry(config.trigger, 'trigger');
      const action = findPlugin<HookActionPlugin>('hook', actionName);
      if (!action) throw new InputError(`hook action "${actionName}" is not implemented by rally-gate`);
      const trigger = findPlugin<HookTriggerPlugin>('trigger', triggerName);
      if (!trigger) throw new InputError(`hook trigger "${triggerName}" is not implemented by rally-gate`);
      action.prepare?.();
      const event = trigger.listensTo(triggerConfig);
      let group = this.byEvent.get(event);
      if (!group) this.byEvent.set(event, (group = []));
      group.push({ config, action, actionConfig, trigger, triggerConfig, runs: [] });
    }
  }

  get hasHooks(): boolean {
    return this.byEvent.size > 0;
  }

  /** An iteration is starting; the first one also starts the clock of "time" events. */
  onIterationStart(iteration: number): void {
    if (this.stopped) return;
    if (iteration === 1 && this.byEvent.has('time') && this.timerStartMono === undefined) {
      this.timerStartMono = monotonicMs();
      this.onSecond();
    }
    this.dispatch('iteration', iteration);
  }

  /** "time" events on an absolute per-second timeline (no drift), value 0 right away. */
  private readonly onSecond = (): void => {
    if (this.stopped) return;
    this.dispatch('time', this.nextSecond);
    this.nextSecond++;
    this.timerCall = coarseScheduler.at(this.timerStartMono! + this.nextSecond * 1000, this.onSecond);
  };

  private dispatch(event: HookEventType, value: number): void {
    const group = this.byEvent.get(event);
    if (!group) return;
    for (const hook of group) {
      if (!hook.trigger.fires(hook.triggerConfig, value)) continue;
      const triggeredBy = { event_type: event, value };
      // Deferred a turn so that spawning a process never delays the launch in progress.
      hook.runs.push(
        new Promise((resolve) => setImmediate(resolve)).then(() =>
          runHookAction(hook.action, hook.actionConfig, this.cwd, triggeredBy),
        ),
      );
    }
  }

  /** Stops "time" events, waits for every hook run and returns Rally's hooks results. */
  async finish(): Promise<HookResults[]> {
    this.stopped = true;
    this.timerCall?.cancel();
    const results: HookResults[] = [];
    for (const group of this.byEvent.values()) {
      for (const hook of group) {
        const runs = await Promise.all(hook.runs);
        const summary: Record<string, number> = {};
        for (const run of runs) summary[run.status] = (summary[run.status] ?? 0) + 1;
        results.push({ config: hookConfigRecord(hook.config), results: runs, summary });
      }
    }
    return results;
  }
}

/** {action, trigger, description} in Rally's report order. */
function hookConfigRecord(config: HookConfig): HookResults['config'] {
  const record: HookResults['config'] = { action: config.action, trigger: config.trigger };
  if (config.description !== undefined) record.description = config.description;
  return record;
}
