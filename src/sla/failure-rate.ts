/** failure_rate: the share of failed iterations must stay within [min, max] percent (Rally's FailureRate). */
import type { IterationResult } from '../engine/types.js';
import { registerPlugin } from '../plugins/registry.js';
import { pyFixed } from '../report/python-format.js';
import { iterationFailed, statusWord, type SlaCriterion, type SlaPlugin } from './types.js';

interface FailureRateConfig {
  min?: number;
  max?: number;
}

class FailureRate implements SlaCriterion {
  readonly name = 'failure_rate';
  success = true;
  private readonly minPercent: number;
  private readonly maxPercent: number;
  private errors = 0;
  private total = 0;
  private errorRate = 0;

  constructor(config: FailureRateConfig) {
    this.minPercent = config.min ?? 0;
    this.maxPercent = config.max ?? 100;
  }

  addIteration(iteration: IterationResult): boolean {
    this.total += 1;
    if (iterationFailed(iteration)) this.errors += 1;
    this.errorRate = (this.errors * 100) / this.total;
    this.success = this.minPercent <= this.errorRate && this.errorRate <= this.maxPercent;
    return this.success;
  }

  detail(): string {
    return (
      `Failure rate criteria ${pyFixed(this.minPercent, 2)}% <= ${pyFixed(this.errorRate, 2)}% ` +
      `<= ${pyFixed(this.maxPercent, 2)}% - ${statusWord(this.success)}`
    );
  }
}

export const failureRatePlugin = registerPlugin<SlaPlugin>({
  kind: 'sla',
  name: 'failure_rate',
  description: 'Failure rate minimum and maximum in percents.',
  schema: {
    type: 'object',
    properties: {
      min: { type: 'number', minimum: 0, maximum: 100 },
      max: { type: 'number', minimum: 0, maximum: 100 },
    },
    minProperties: 1,
    additionalProperties: false,
  },
  create: (config) => new FailureRate(config as FailureRateConfig),
});
