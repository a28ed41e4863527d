/** Dummy.dummy_output: adds one chart of every kind, with random values in [1, random_range]. */
import { registerScenario } from '../../engine/scenario.js';
import type { JsonValue } from '../../common/json.js';

const lorem =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';

export const dummyOutputScenario = registerScenario({
  name: 'Dummy.dummy_output',
  description: 'Generate dummy output.',
  schema: {
    type: 'object',
    properties: { random_range: { type: 'integer', description: 'max int limit for generated random values' } },
    additionalProperties: false,
  },
  run(ctx, { random_range = 25 }: { random_range?: number }) {
    // Python's random.randint(1, random_range), both ends included.
    const rand = (name: string | number): [string | number, number] => [
      name,
      1 + Math.floor(ctx.random() * random_range),
    ];
    const desc = (what: string): string => `This is a description text for ${what}`;
    const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

    ctx.addOutput('additive', {
      title: 'Additive StatsTable',
      description: desc('Additive StatsTable'),
      chart_plugin: 'StatsTable',
      data: [rand('foo stat'), rand('bar stat'), rand('spam stat')],
    });
    ctx.addOutput('additive', {
      title: 'Additive StackedArea (no description)',
      chart_plugin: 'StackedArea',
      data: range(1, 7).map((i) => rand(`foo ${i}`)),
      label: 'Measure this in Foo units',
    });
    ctx.addOutput('additive', {
      title: 'Additive Lines',
      description: desc('Additive Lines'),
      chart_plugin: 'Lines',
      data: range(1, 4).map((i) => rand(`bar ${i}`)),
      label: 'Measure this in Bar units',
    });
    ctx.addOutput('additive', {
      title: 'Additive Pie',
      description: desc('Additive Pie'),
      chart_plugin: 'Pie',
      data: range(1, 4).map((i) => rand(`spam ${i}`)),
    });
    ctx.addOutput('complete', {
      title: 'Complete Lines',
      description: desc('Complete Lines'),
      chart_plugin: 'Lines',
      data: ['Foo', 'Bar', 'Spam'].map((name) => [name, range(1, 8).map((i) => rand(i))]),
      label: 'Measure this is some units',
      axis_label: 'This is a custom X-axis label',
    });
    ctx.addOutput('complete', {
      title: 'Complete StackedArea',
      description: desc('Complete StackedArea'),
      chart_plugin: 'StackedArea',
      data: ['alpha', 'beta', 'gamma'].map((name) => [name, range(0, 50).map((i) => rand(i))]),
      label: 'Yet another measurement units',
      axis_label: 'This is a custom X-axis label',
    });
    ctx.addOutput('complete', {
      title: 'Arbitrary Text',
      chart_plugin: 'TextArea',
      data: Array.from({ length: 4 }, () => lorem + lorem),
    });
    ctx.addOutput('complete', {
      title: 'Complete Pie (no description)',
      chart_plugin: 'Pie',
      data: ['delta', 'epsilon', 'zeta', 'theta', 'lambda', 'omega'].map((name) => rand(name)),
    });
    const table: JsonValue = {
      cols: ['mu column', 'xi column', 'pi column', 'tau column', 'chi column'],
      rows: ['iota', 'nu', 'rho', 'phi', 'psi'].map((name) => [`${name} row`, ...range(0, 4).map((i) => rand(i)[1])]),
    };
    ctx.addOutput('complete', {
      title: 'Complete Table',
      description: desc('Complete Table'),
      chart_plugin: 'Table',
      data: table,
    });
  },
});
