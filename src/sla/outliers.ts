/**
 * outliers: limit the number of successful iterations slower than mean + sigmas * std (n - 1) of the
 * successful iterations *before* them, counted once at least `min_iterations` were seen.
 * Like Rally this is an order-dependent approximation: earlier iterations are never re-judged
 * against the final threshold.
 */
import type { IterationResult } from '../engine/types.js';
import { registerPlugin } from '../plugins/registry.js';
import { pyInt } from '../report/python-format.js';
import { MeanComputation, StdDevComputation } from './streaming.js';
import { iterationFailed, statusWord, type SlaCriterion, type SlaPlugin } from './types.js';

interface OutliersConfig {
  max?: number;
  min_iterations?: number;
  sigmas?: number;
}

class Outliers implements SlaCriterion {
  readonly name = 'outliers';
  success = true;
  private readonly maxOutliers: number;
  private readonly minIterations: number;
  private readonly sigmas: number;
  private iterations = 0;
  private outliers = 0;
  private threshold: number | null = null;
  private readonly mean = new MeanComputation();
  private readonly std = new StdDevComputation();

  constructor(config: OutliersConfig) {
    this.maxOutliers = config.max ?? 0;
    this.minIterations = config.min_iterations ?? 3;
    this.sigmas = config.sigmas ?? 3.0;
  }

  addIteration(iteration: IterationResult): boolean {
    if (!iterationFailed(iteration)) {
      const duration = iteration.duration;
      this.iterations += 1;
      // Judge this iteration against the threshold of the previous ones first (a threshold of
      // exactly 0 counts as "none yet", as in Rally's truthiness test)...
      if (this.iterations >= this.minIterations && this.threshold && duration > this.threshold) {
        this.outliers += 1;
      }
      // ...then let it move the threshold.
      this.mean.add(duration);
      this.std.add(duration);
      if (this.iterations >= 2) {
        this.threshold = (this.mean.result() ?? 0) + this.sigmas * (this.std.result() ?? 0);
      }
    }
    this.success = this.outliers <= this.maxOutliers;
    return this.success;
  }

  detail(): string {
    return `Maximum number of outliers ${pyInt(this.outliers)} <= ${pyInt(this.maxOutliers)} - ${statusWord(this.success)}`;
  }
}

export const outliersPlugin = registerPlugin<SlaPlugin>({
  kind: 'sla',
  name: 'outliers',
  description: 'Limit the number of outliers (iterations that take too much time).',
  schema: {
    type: 'object',
    properties: {
      max: { type: 'integer', minimum: 0 },
      min_iterations: { type: 'integer', minimum: 3 },
      sigmas: { type: 'number', exclusiveMinimum: 0 },
    },
    additionalProperties: false,
  },
  create: (config) => new Outliers(config as OutliersConfig),
});
