/**
 * The runner plugin API. A runner is only the scheduling strategy: it decides when to launch
 * iterations through a RunnerDriver, which owns everything else (numbering, timing, timeouts,
 * recording, hooks, stop requests).
 *
 * All runners run iterations as concurrent async tasks in this one Node process; Rally's split of
 * the load over worker processes and threads is an implementation detail of Python that we do
 * not reproduce (so `max_cpu_count` is accepted by the schemas that accept it, and ignored).
 */
import type { JsonObject } from '../common/json.js';
import { registerPlugin, type PluginBase } from '../plugins/registry.js';

export interface RunnerDriver {
  /** true once a stop was requested (abort, SLA): launch nothing more and return */
  readonly stopRequested: boolean;
  /** iterations launched and not yet finished */
  readonly inFlight: number;
  /** Starts the next iteration now; resolves once it has finished and been recorded (never rejects). */
  launch(): Promise<void>;
  /**
   * Resolves when the monotonic clock (ms, see clock.ts) reaches `deadline`, or as soon as a stop
   * is requested; also waits while the results file applies backpressure. 'precise' polls the
   * last 2 ms (sub-0.1 ms wake-ups, costs CPU); 'coarse' relies on setTimeout (~1 ms late).
   */
  waitUntil(deadline: number, precision?: 'precise' | 'coarse'): Promise<void>;
  /** Resolves when some in-flight iteration finishes (or a stop is requested). */
  nextCompletion(): Promise<void>;
  /** Resolves when no iteration is in flight. */
  drain(): Promise<void>;
}

export interface RunnerPlugin extends PluginBase {
  kind: 'runner';
  /** per-iteration timeout in seconds (0 = none) for this config */
  iterationTimeout(config: JsonObject): number;
  /** how many iterations the config asks for, if known in advance (for progress) */
  plannedIterations(config: JsonObject): number | undefined;
  /** Launches the iterations; returns when it launched all it wanted (in-flight ones may still run). */
  run(driver: RunnerDriver, config: JsonObject): Promise<void>;
}

export function registerRunner(spec: Omit<RunnerPlugin, 'kind'>): RunnerPlugin {
  return registerPlugin<RunnerPlugin>({ ...spec, kind: 'runner' });
}

/** Reads an optional numeric config key with a default, as Rally's config.get(key, default). */
export function numberOption(config: JsonObject, key: string, fallback: number): number {
  const value = config[key];
  return typeof value === 'number' ? value : fallback;
}

/**
 * Runs `slots` concurrent loops; each launches iterations back to back while `shouldLaunch()`
 * holds (Rally's constant runners keep `concurrency` iterations in flight).
 */
export async function runSlots(driver: RunnerDriver, slots: number, shouldLaunch: () => boolean): Promise<void> {
  const loop = async (): Promise<void> => {
    while (!driver.stopRequested && shouldLaunch()) {
      await driver.launch();
    }
  };
  await Promise.all(Array.from({ length: slots }, loop));
}
