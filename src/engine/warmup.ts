/**
 * JIT warm-up of the engine's hot path. V8 runs new code in its interpreter first and optimises it
 * after some thousands of calls; without a warm-up, the first iterations of a run pay tens of
 * microseconds of engine overhead each, which inflates their measured durations (e.g. 50 iterations
 * ending together at concurrency 50 are recorded ~1-2 ms late) and lowers the rate of short
 * iterations. Once per process, before the first workload's load starts, we push a few thousand
 * no-op iterations through the same driver, iteration, atomic-action and encoder code, writing to
 * nowhere. It costs ~10-50 ms once (runWorkload skips it for workloads of 10 iterations or less)
 * and touches nothing outside the process.
 */
import { WorkloadDriver, type IterationWriter } from './driver.js';
import { JsonLineEncoder } from './iteration-json.js';
import type { IterationSetup } from './iteration.js';
import { runSlots } from './runner.js';
import type { ScenarioPlugin } from './scenario.js';
import type { IterationResult } from './types.js';

const warmupIterations = 2000;

/**
 * Shaped like Dummy.dummy (two nested actions around a sleep); not registered. Every 16th
 * iteration sleeps 0.1 us, enough to go through the scheduler's real waiting path.
 */
const noopScenario: ScenarioPlugin = {
  kind: 'scenario',
  name: 'rally-gate.warmup',
  platform: 'default',
  schema: {},
  async run(ctx) {
    const seconds = ctx.iteration % 16 === 0 ? 1e-7 : 0;
    await ctx.atomic('warm', () => ctx.atomic('up', () => ctx.sleep(seconds)));
  },
};

class DiscardingWriter implements IterationWriter {
  private readonly encoder = new JsonLineEncoder(64 * 1024);
  readonly blocked = undefined;
  writeIteration(result: IterationResult): void {
    this.encoder.iteration(result);
    if (this.encoder.length > 48 * 1024) this.encoder.take();
  }
}

let warmedUp: Promise<void> | undefined;

/** Warms the hot path once per process; later calls return at once. */
export function warmUpEngine(): Promise<void> {
  warmedUp ??= (async () => {
    const setup: IterationSetup = {
      scenario: noopScenario,
      args: {},
      context: {},
      workload: { taskUuid: '', workloadUuid: '', scenarioName: noopScenario.name, subtaskIndex: 0, position: 0, environment: {} },
      timeoutSeconds: 0,
    };
    const driver = new WorkloadDriver(setup, new DiscardingWriter(), [{ onIteration: () => undefined }], undefined, {
      intervalMs: 1000,
      total: undefined,
    });
    let launched = 0;
    await runSlots(driver, 4, () => launched++ < warmupIterations);
    await driver.drain();
  })();
  return warmedUp;
}
