/** Dummy.dummy_random_action: actions "action_0".."action_{n-1}", each sleeping uniform(sleep_min, sleep_max). */
import { registerScenario } from '../../engine/scenario.js';

interface RandomActionArgs {
  actions_num?: number;
  sleep_min?: number;
  sleep_max?: number;
}

export const dummyRandomActionScenario = registerScenario({
  name: 'Dummy.dummy_random_action',
  description: 'Sleep random time in dummy actions.',
  schema: {
    type: 'object',
    properties: {
      actions_num: { type: 'integer', description: 'int number of actions to generate' },
      sleep_min: { type: 'number', description: 'minimal time to sleep, numeric seconds' },
      sleep_max: { type: 'number', description: 'maximum time to sleep, numeric seconds' },
    },
    additionalProperties: false,
  },
  async run(ctx, { actions_num = 5, sleep_min = 0, sleep_max = 0 }: RandomActionArgs) {
    for (let idx = 0; idx < actions_num; idx++) {
      // Python's random.uniform(a, b) = a + (b - a) * random()
      const duration = sleep_min + (sleep_max - sleep_min) * ctx.random();
      await ctx.atomic(`action_${idx}`, () => ctx.sleep(duration));
    }
  },
});
