/** max_avg_duration: the mean `duration` of successful iterations must not exceed the limit (0 while none). */
import type { IterationResult } from '../engine/types.js';
import { registerPlugin } from '../plugins/registry.js';
import { pyFixed } from '../report/python-format.js';
import { MeanComputation } from './streaming.js';
import { iterationFailed, statusWord, type SlaCriterion, type SlaPlugin } from './types.js';

class MaxAverageDuration implements SlaCriterion {
  readonly name = 'max_avg_duration';
  success = true;
  private average = 0;
  private readonly mean = new MeanComputation();

  constructor(private readonly limit: number) {}

  addIteration(iteration: IterationResult): boolean {
    if (!iterationFailed(iteration)) {
      this.mean.add(iteration.duration);
      this.average = this.mean.result() ?? 0;
    }
    this.success = this.average <= this.limit;
    return this.success;
  }

  detail(): string {
    return (
      `Average duration of one iteration ${pyFixed(this.average, 2)}s <= ${pyFixed(this.limit, 2)}s - ` +
      statusWord(this.success)
    );
  }
}

export const maxAvgDurationPlugin = registerPlugin<SlaPlugin>({
  kind: 'sla',
  name: 'max_avg_duration',
  description: 'Maximum average duration of one iteration in seconds.',
  schema: { type: 'number', exclusiveMinimum: 0 },
  create: (config) => new MaxAverageDuration(config as number),
});
