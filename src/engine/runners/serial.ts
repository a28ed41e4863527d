/**
 * Rally's `serial` runner: `times` iterations one after another, no timeout. Its schema allows
 * any other keys so that a task can switch runner by changing only `type`.
 */
import { numberOption, registerRunner, runSlots } from '../runner.js';

export const serialRunner = registerRunner({
  name: 'serial',
  description: 'Scenario runner that executes scenarios serially.',
  schema: {
    type: 'object',
    properties: { times: { type: 'integer', minimum: 1 } },
    additionalProperties: true,
  },
  iterationTimeout: () => 0,
  plannedIterations: (config) => numberOption(config, 'times', 1),
  async run(driver, config) {
    const times = numberOption(config, 'times', 1);
    let launched = 0;
    await runSlots(driver, 1, () => launched++ < times);
  },
});
