/**
 * max_seconds_per_iteration: the longest iteration `duration` must not exceed the limit
 * (Rally's IterationTime; failed iterations count too).
 */
import type { IterationResult } from '../engine/types.js';
import { registerPlugin } from '../plugins/registry.js';
import { pyFixed } from '../report/python-format.js';
import { statusWord, type SlaCriterion, type SlaPlugin } from './types.js';

class MaxSecondsPerIteration implements SlaCriterion {
  readonly name = 'max_seconds_per_iteration';
  success = true;
  private maxIterationTime = 0;

  constructor(private readonly limit: number) {}

  addIteration(iteration: IterationResult): boolean {
    if (iteration.duration > this.maxIterationTime) this.maxIterationTime = iteration.duration;
    this.success = this.maxIterationTime <= this.limit;
    return this.success;
  }

  detail(): string {
    return (
      `Maximum seconds per iteration ${pyFixed(this.maxIterationTime, 2)}s <= ${pyFixed(this.limit, 2)}s - ` +
      statusWord(this.success)
    );
  }
}

export const maxSecondsPerIterationPlugin = registerPlugin<SlaPlugin>({
  kind: 'sla',
  name: 'max_seconds_per_iteration',
  description: 'Maximum time for one iteration in seconds.',
  schema: { type: 'number', exclusiveMinimum: 0 },
  create: (config) => new MaxSecondsPerIteration(config as number),
});
