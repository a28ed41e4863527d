/** Dummy.failure: sleeps, then fails every `each`-th iteration in [from_iteration, to_iteration]. */
import { registerScenario } from '../../engine/scenario.js';
import { DummyScenarioException } from './errors.js';

interface FailureArgs {
  sleep?: number;
  from_iteration?: number;
  to_iteration?: number;
  each?: number;
}

export const dummyFailureScenario = registerScenario({
  name: 'Dummy.failure',
  description: 'Raise errors in some iterations.',
  schema: {
    type: 'object',
    properties: {
      sleep: { type: 'number', description: 'float iteration sleep time in seconds' },
      from_iteration: { type: 'integer', description: 'int iteration number which starts range of failed iterations' },
      to_iteration: { type: 'integer', description: 'int iteration number which ends range of failed iterations' },
      each: { type: 'integer', description: 'int cyclic number of iteration which actually raises an error in selected range' },
    },
    additionalProperties: false,
  },
  async run(ctx, { sleep = 0.1, from_iteration = 0, to_iteration = 0, each = 1 }: FailureArgs) {
    await ctx.sleep(sleep);
    if (from_iteration <= ctx.iteration && ctx.iteration <= to_iteration) {
      if (each && ctx.iteration % each === 0) throw new DummyScenarioException('Expected failure');
    }
  },
});
