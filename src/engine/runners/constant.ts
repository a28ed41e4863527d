/**
 * Rally's `constant` runner (rally/plugins/task/runners/constant.py): `times` iterations with
 * `concurrency` of them in flight, each slot launching its next iteration as soon as the
 * previous one ends. `max_cpu_count` is accepted and ignored (one process, see runner.ts).
 */
import type { ConfigProblem } from '../../plugins/registry.js';
import { isJsonObject } from '../../common/json.js';
import { numberOption, registerRunner, runSlots } from '../runner.js';

export const constantRunner = registerRunner({
  name: 'constant',
  description: 'Creates constant load executing a scenario a specified number of times.',
  schema: {
    type: 'object',
    properties: {
      concurrency: { type: 'integer', minimum: 1, description: 'The number of parallel iteration executions.' },
      times: { type: 'integer', minimum: 1, description: 'Total number of iteration executions.' },
      timeout: { type: 'number', description: "Operation's timeout." },
      max_cpu_count: {
        type: 'integer',
        minimum: 1,
        description: 'The maximum number of processes to create load from (accepted, ignored by rally-gate).',
      },
    },
    additionalProperties: false,
  },
  validateConfig(config: unknown): ConfigProblem[] {
    if (!isJsonObject(config)) return [];
    // Rally's check_constant validator, same wording.
    if (numberOption(config, 'concurrency', 1) > numberOption(config, 'times', 1)) {
      return [
        {
          path: ['concurrency'],
          message:
            "Parameter 'concurrency' means a number of parallel executions of iterations. " +
            "Parameter 'times' means total number of iteration executions. It is redundant " +
            '(and restricted) to have number of parallel iterations bigger then total number of iterations.',
        },
      ];
    }
    return [];
  },
  iterationTimeout: (config) => numberOption(config, 'timeout', 0),
  plannedIterations: (config) => numberOption(config, 'times', 1),
  async run(driver, config) {
    const times = numberOption(config, 'times', 1);
    const concurrency = numberOption(config, 'concurrency', 1);
    let launched = 0;
    await runSlots(driver, Math.min(concurrency, times), () => {
      if (launched >= times) return false;
      launched++;
      return true;
    });
  },
});
