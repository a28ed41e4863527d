/** Dummy.dummy: atomic action "foo" wrapping "bar", which sleeps `sleep` seconds. */
import { registerScenario } from '../../engine/scenario.js';

export const dummyScenario = registerScenario({
  name: 'Dummy.dummy',
  description: 'Do nothing and sleep for the given number of seconds (0 by default).',
  schema: {
    type: 'object',
    properties: { sleep: { type: 'number', description: 'idle time of method (in seconds).' } },
    additionalProperties: false,
  },
  async run(ctx, { sleep = 0 }: { sleep?: number }) {
    await ctx.atomic('foo', () => ctx.atomic('bar', () => ctx.sleep(sleep)));
  },
});
