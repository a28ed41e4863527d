/** Scenarios and contexts registered only for engine tests (names start with Test./test_). */
import { isJsonObject } from '../../../src/common/json.js';
import { registerContext } from '../../../src/engine/context.js';
import { RallyException, ScenarioError } from '../../../src/engine/exceptions.js';
import { registerScenario } from '../../../src/engine/scenario.js';
import type { Chart } from '../../../src/engine/types.js';

/** In-flight accounting of Test.track, reset by tests. */
export const tracker = { inFlight: 0, maxInFlight: 0, iterations: [] as number[] };
export function resetTracker(): void {
  tracker.inFlight = 0;
  tracker.maxInFlight = 0;
  tracker.iterations = [];
}

registerScenario({
  name: 'Test.track',
  schema: { type: 'object' },
  async run(ctx, { sleep = 0 }: { sleep?: number }) {
    tracker.inFlight++;
    tracker.maxInFlight = Math.max(tracker.maxInFlight, tracker.inFlight);
    tracker.iterations.push(ctx.iteration);
    try {
      await ctx.sleep(sleep);
    } finally {
      tracker.inFlight--;
    }
  },
});

/** Ignores every signal: only the engine's timeout/cancel can end it. */
registerScenario({
  name: 'Test.hang',
  schema: { type: 'object' },
  async run(ctx) {
    await ctx.atomic('outer', () => ctx.atomic('inner', () => new Promise<void>(() => undefined)));
  },
});

registerScenario({
  name: 'Test.atomics',
  schema: { type: 'object' },
  async run(ctx, { mode }: { mode: 'caught' | 'thrown' | 'sequence' }) {
    if (mode === 'sequence') {
      await ctx.atomic('a', () => undefined);
      await ctx.atomic('a', async () => {
        await ctx.atomic('b', () => undefined);
        await ctx.atomic('c', () => undefined);
      });
      return;
    }
    await ctx.atomic('outer', async () => {
      try {
        await ctx.atomic('inner', () => {
          throw new ScenarioError('KeyError', "'boom'");
        });
      } catch (error) {
        if (mode === 'thrown') throw error;
      }
      await ctx.atomic('after', () => undefined);
    });
  },
});

registerScenario({
  name: 'Test.output',
  schema: { type: 'object' },
  run(ctx, { chart }: { chart?: Chart }) {
    ctx.addOutput('additive', { title: 't', chart_plugin: 'StatsTable', data: [['a', 1]] });
    if (chart) ctx.addOutput('complete', chart);
  },
});

registerScenario({
  name: 'Test.idle',
  schema: { type: 'object' },
  async run(ctx, { busy, idle }: { busy: number; idle: number }) {
    await ctx.sleep(busy);
    await ctx.sleepBetween(idle, idle);
  },
});

registerScenario({
  name: 'Test.sync_throw',
  schema: { type: 'object' },
  run() {
    throw new Error('plain error');
  },
});

registerScenario({
  name: 'Test.reads_context',
  schema: { type: 'object' },
  defaultContexts: { test_ctx_b: { from: 'default' } },
  run(ctx) {
    if (ctx.context.prepared !== 'a,b') throw new RallyException(`context is ${String(ctx.context.prepared)}`);
  },
});

/** Log of context phases, e.g. "setup:test_ctx_a". */
export const contextLog: string[] = [];

for (const [name, order] of [
  ['test_ctx_b', 200],
  ['test_ctx_a', 100],
] as const) {
  registerContext({
    name,
    order,
    schema: { type: 'object' },
    defaultConfig: { flavour: 'plain' },
    create: () => ({
      async setup({ config, data, atomic }) {
        contextLog.push(`setup:${name}`);
        await atomic(`${name}.prepare`, () => undefined);
        if (isJsonObject(config) && config.fail_setup) throw new RallyException(`${name} setup failed`);
        data.prepared = data.prepared ? `${String(data.prepared)},${name.slice(-1)}` : name.slice(-1);
      },
      cleanup({ config }) {
        contextLog.push(`cleanup:${name}`);
        if (isJsonObject(config) && config.fail_cleanup) throw new RallyException(`${name} cleanup failed`);
      },
    }),
  });
}
