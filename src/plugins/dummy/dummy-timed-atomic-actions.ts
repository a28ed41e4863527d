/** Dummy.dummy_timed_atomic_actions: "action_i" sleeps i * sleep_factor seconds, i = 0..number_of_actions-1. */
import { registerScenario } from '../../engine/scenario.js';

export const dummyTimedAtomicActionsScenario = registerScenario({
  name: 'Dummy.dummy_timed_atomic_actions',
  description: 'Run some sleepy atomic actions for SLA atomic action tests.',
  schema: {
    type: 'object',
    properties: {
      number_of_actions: { type: 'integer', description: 'int number of atomic actions to create' },
      sleep_factor: { type: 'number', description: 'int multiplier for number of seconds to sleep' },
    },
    additionalProperties: false,
  },
  async run(ctx, { number_of_actions = 5, sleep_factor = 1 }: { number_of_actions?: number; sleep_factor?: number }) {
    for (let sleeptime = 0; sleeptime < number_of_actions; sleeptime++) {
      await ctx.atomic(`action_${sleeptime}`, () => ctx.sleep(sleeptime * sleep_factor));
    }
  },
});
