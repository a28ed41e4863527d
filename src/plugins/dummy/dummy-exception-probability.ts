/** Dummy.dummy_exception_probability: raises DummyScenarioException with the given probability. */
import { registerScenario } from '../../engine/scenario.js';
import { checkNumberArg, DummyScenarioException } from './errors.js';

export const dummyExceptionProbabilityScenario = registerScenario({
  name: 'Dummy.dummy_exception_probability',
  description: 'Throws an exception with given probability.',
  schema: {
    type: 'object',
    properties: {
      exception_probability: {
        type: ['number', 'null'],
        description: 'Sets how likely it is that an exception will be thrown. Float between 0 and 1 0=never 1=always.',
      },
    },
    additionalProperties: false,
  },
  validateConfig: (args) =>
    checkNumberArg(args, 'exception_probability', { min: 0, max: 1, integerOnly: false, nullable: true }),
  run(ctx, { exception_probability = 0.5 }: { exception_probability?: number }) {
    if (ctx.random() < exception_probability) {
      throw new DummyScenarioException(`Dummy Scenario Exception: Probability: ${exception_probability}`);
    }
  },
});
