/** Dummy.dummy_exception: sleeps, then raises DummyScenarioException with `message` or "M" x size_of_message. */
import { registerScenario } from '../../engine/scenario.js';
import { checkNumberArg, DummyScenarioException } from './errors.js';

interface ExceptionArgs {
  size_of_message?: number;
  sleep?: number;
  message?: string;
}

export const dummyExceptionScenario = registerScenario({
  name: 'Dummy.dummy_exception',
  description: 'Throws an exception.',
  schema: {
    type: 'object',
    properties: {
      size_of_message: { type: ['integer', 'null'], description: 'int size of the exception message' },
      sleep: { type: 'number', description: 'idle time of method (in seconds).' },
      message: { type: 'string', description: 'message of the exception' },
    },
    additionalProperties: false,
  },
  validateConfig: (args) => checkNumberArg(args, 'size_of_message', { min: 1, integerOnly: true, nullable: true }),
  async run(ctx, { size_of_message = 1, sleep = 1, message = '' }: ExceptionArgs) {
    await ctx.sleep(sleep);
    throw new DummyScenarioException(message || 'M'.repeat(size_of_message));
  },
});
