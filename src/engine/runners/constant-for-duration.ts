/**
 * Rally's `constant_for_duration` runner: `concurrency` slots launch iterations back to back
 * until `duration` seconds have passed since the runner started; iterations in flight then finish.
 * A slot checks the time when it is free to launch, like Rally's worker loop, so the last
 * iterations start just before `duration` and the load lasts about duration + one iteration.
 *
 * duration 0: one iteration per slot (Rally documents "once per parallel execution"; its code
 * actually does once per worker process, which depends on the CPU count, so we follow the docs).
 */
import { monotonicMs } from '../clock.js';
import { numberOption, registerRunner } from '../runner.js';

export const constantForDurationRunner = registerRunner({
  name: 'constant_for_duration',
  description: 'Creates constant load executing a scenario for an interval of time.',
  schema: {
    type: 'object',
    properties: {
      concurrency: { type: 'integer', minimum: 1, description: 'The number of parallel iteration executions.' },
      duration: {
        type: 'number',
        minimum: 0.0,
        description:
          'The number of seconds during which to generate a load. If the duration is 0, the scenario will run once per parallel execution.',
      },
      timeout: { type: 'number', minimum: 1, description: "Operation's timeout." },
    },
    required: ['duration'],
    additionalProperties: false,
  },
  iterationTimeout: (config) => numberOption(config, 'timeout', 600),
  plannedIterations: () => undefined,
  async run(driver, config) {
    const durationMs = numberOption(config, 'duration', 0) * 1000;
    const concurrency = numberOption(config, 'concurrency', 1);
    const startedAt = monotonicMs();
    const slot = async (): Promise<void> => {
      let first = true;
      while (!driver.stopRequested && (first || monotonicMs() - startedAt < durationMs)) {
        first = false;
        await driver.launch();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, slot));
  },
});
