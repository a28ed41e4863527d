/**
 * Rally's `rps` runner: launches `times` iterations at a target rate, whatever their duration,
 * with at most `max_concurrency` in flight (default: times).
 *
 * Launch times lie on one absolute timeline from the runner's start, so the rate does not drift:
 * Rally launches iteration k+1 (k already launched) once k / elapsed <= rate(elapsed). For a
 * number, rate is constant and iteration k+1 starts at k / rps. For a ramp {start, end, step,
 * duration = 1}, Rally's rate is min(start + step * (elapsed / duration - 1), end): a continuous
 * ramp (starting at start - step, reaching `start` after one `duration`), capped at `end`. We solve
 * elapsed * rate(elapsed) = k for each k. (Rally divides the rate over its worker processes but
 * caps each of them at `end`, so on an N-core machine its ramp can reach N x end; we cap the total.)
 * When max_concurrency holds a launch back, later launches catch up to the timeline, as in Rally.
 */
import type { ConfigProblem } from '../../plugins/registry.js';
import { isJsonObject, type JsonObject } from '../../common/json.js';
import { monotonicMs } from '../clock.js';
import { numberOption, registerRunner } from '../runner.js';

interface RampConfig {
  start: number;
  end: number;
  step: number;
  duration?: number;
}

/** Seconds after the runner start at which the (k+1)-th iteration is launched (k >= 0). */
export function rpsLaunchOffset(rps: number | RampConfig, k: number): number {
  if (k <= 0) return 0;
  if (typeof rps === 'number') return k / rps;
  const duration = rps.duration ?? 1;
  const a = rps.step / duration; // elapsed * rate(elapsed) = a e^2 + b e while the ramp is below `end`
  const b = rps.start - rps.step;
  const uncapped = (2 * k) / (b + Math.sqrt(b * b + 4 * a * k)); // positive root, stable form
  const capFrom = duration * (1 + (rps.end - rps.start) / rps.step);
  return uncapped <= capFrom ? uncapped : k / rps.end;
}

export const rpsRunner = registerRunner({
  name: 'rps',
  description: 'Scenario runner that does the job with specified frequency.',
  schema: {
    type: 'object',
    properties: {
      times: { type: 'integer', minimum: 1 },
      rps: {
        anyOf: [
          {
            description: 'Generate constant requests per second during the whole workload.',
            type: 'number',
            exclusiveMinimum: 0,
            minimum: 0,
          },
          {
            type: 'object',
            description: 'Increase requests per second for specified value each time after a certain number of seconds.',
            properties: {
              start: { type: 'number', minimum: 1 },
              end: { type: 'number', minimum: 1 },
              step: { type: 'number', minimum: 1 },
              duration: { type: 'number', minimum: 1 },
            },
            additionalProperties: false,
            required: ['start', 'end', 'step'],
          },
        ],
      },
      timeout: { type: 'number' },
      max_concurrency: { type: 'integer', minimum: 1 },
      max_cpu_count: { type: 'integer', minimum: 1 },
    },
    required: ['times', 'rps'],
    additionalProperties: false,
  },
  validateConfig(config: unknown): ConfigProblem[] {
    // Rally's check_rps validator, same wording.
    if (isJsonObject(config) && isJsonObject(config.rps)) {
      const { start, end } = config.rps;
      if (typeof start === 'number' && typeof end === 'number' && end < start) {
        return [{ path: ['rps', 'end'], message: 'rps end value must not be less than rps start value.' }];
      }
    }
    return [];
  },
  iterationTimeout: (config) => numberOption(config, 'timeout', 0),
  plannedIterations: (config) => numberOption(config, 'times', 1),
  async run(driver, config) {
    const times = numberOption(config, 'times', 1);
    const maxConcurrency = numberOption(config, 'max_concurrency', times);
    const rps = rateConfig(config);
    const startedAt = monotonicMs();
    for (let k = 0; k < times; k++) {
      // Coarse waits: a late wake-up launches what is due at once, so the rate stays exact.
      await driver.waitUntil(startedAt + rpsLaunchOffset(rps, k) * 1000, 'coarse');
      while (!driver.stopRequested && driver.inFlight >= maxConcurrency) await driver.nextCompletion();
      if (driver.stopRequested) break;
      void driver.launch();
    }
  },
});

function rateConfig(config: JsonObject): number | RampConfig {
  const rps = config.rps;
  if (typeof rps === 'number') return rps;
  if (isJsonObject(rps)) {
    return {
      start: numberOption(rps, 'start', 1),
      end: numberOption(rps, 'end', 1),
      step: numberOption(rps, 'step', 1),
      duration: numberOption(rps, 'duration', 1),
    };
  }
  return 1;
}
