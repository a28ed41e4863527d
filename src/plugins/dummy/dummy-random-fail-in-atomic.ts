/**
 * Dummy.dummy_random_fail_in_atomic: two "dummy_fail_test" actions, each with a nested
 * "dummy_fail_inner_test"; each of the four places raises KeyError('Dummy test exception') with
 * probability exception_probability / 4 (or always when it is 1).
 */
import { ScenarioError } from '../../engine/exceptions.js';
import { registerScenario, type ScenarioContext } from '../../engine/scenario.js';

function playRoulette(ctx: ScenarioContext, probability: number): void {
  // str(KeyError("x")) is "'x'", quotes included.
  if (ctx.random() < probability) throw new ScenarioError('KeyError', "'Dummy test exception'");
}

export const dummyRandomFailInAtomicScenario = registerScenario({
  name: 'Dummy.dummy_random_fail_in_atomic',
  description: 'Dummy.dummy_random_fail_in_atomic in dummy actions.',
  schema: {
    type: 'object',
    properties: {
      exception_probability: {
        type: 'number',
        description: 'Probability with which atomic actions fail in this dummy scenario (0 <= p <= 1)',
      },
    },
    additionalProperties: false,
  },
  async run(ctx, { exception_probability = 0.5 }: { exception_probability?: number }) {
    const probability = exception_probability !== 1 ? exception_probability / 4.0 : exception_probability;
    for (let round = 0; round < 2; round++) {
      await ctx.atomic('dummy_fail_test', async () => {
        playRoulette(ctx, probability);
        await ctx.atomic('dummy_fail_inner_test', () => playRoulette(ctx, probability));
      });
    }
  },
});
