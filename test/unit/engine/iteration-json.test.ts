import { describe, expect, it } from 'vitest';
import { iterationJson, JsonLineEncoder } from '../../../src/engine/iteration-json.js';
import type { IterationResult } from '../../../src/engine/types.js';

function randomRecord(seed: number): IterationResult {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const epoch = 1795253766 + random() * 1e6;
  const ns = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    duration: ns(random() * 3),
    timestamp: epoch,
    idle_duration: seed % 3 === 0 ? 0 : ns(random()),
    error: seed % 2 ? [] : ['KeyError', "'quote\" \\ \n é'", 'Traceback (most recent call last):\n  x\n'],
    output: seed % 4 ? { additive: [], complete: [] } : { additive: [{ title: 't', chart_plugin: 'Pie', data: [['a', 1.5]] }], complete: [] },
    atomic_actions: [
      {
        name: 'outer "x"',
        children: [{ name: 'inner', children: [], started_at: epoch + random(), finished_at: epoch + 1 + random(), failed: true }],
        started_at: epoch + random() / 10,
        finished_at: epoch + 2 + random(),
        ...(seed % 5 ? {} : { failed: true as const }),
      },
    ],
  };
}

describe('iterationJson', () => {
  it('parses back to exactly the record, with JSON.stringify\'s key order', () => {
    for (let seed = 1; seed < 500; seed++) {
      const record = randomRecord(seed);
      const text = iterationJson(record);
      expect(JSON.parse(text)).toEqual(record);
      expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(JSON.parse(JSON.stringify(record))));
    }
  });

  it('writes non-finite numbers as null, like JSON.stringify', () => {
    const record = { ...randomRecord(2), duration: NaN, timestamp: Infinity };
    expect(JSON.parse(iterationJson(record))).toMatchObject({ duration: null, timestamp: null });
  });

  it('writes edge numbers exactly', () => {
    for (const [duration, timestamp] of [
      [0, 1795253766.9999999],
      [1, 1795253767],
      [0.5, 1795253766.0000002],
      [2e-9, 1795253766.5],
      [-0.000001, 1795253766.25],
      [123456.789012345, 1795253766.1234567],
    ] as const) {
      const record = { ...randomRecord(3), duration, timestamp };
      expect(JSON.parse(iterationJson(record))).toMatchObject({ duration, timestamp });
    }
  });

  it('grows past its chunk for a huge record and hands over complete lines', () => {
    const encoder = new JsonLineEncoder(1024);
    const big = { ...randomRecord(4), error: ['ValueError', 'x'.repeat(10_000), 'tb'] as [string, string, string] };
    encoder.iteration(randomRecord(1));
    encoder.iteration(big);
    const lines = encoder.take().toString('utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([randomRecord(1), big]);
    expect(encoder.length).toBe(0);
  });
});
