/**
 * max_avg_duration_per_atomic: for each listed atomic action, the mean duration of its top-level
 * occurrences in successful iterations must not exceed its limit. Every occurrence counts separately
 * (an action run twice in one iteration adds two values), and an action never seen averages 0.
 */
import type { IterationResult } from '../engine/types.js';
import { registerPlugin } from '../plugins/registry.js';
import { pyFixed } from '../report/python-format.js';
import { MeanComputation } from './streaming.js';
import { iterationFailed, statusWord, type SlaCriterion, type SlaPlugin } from './types.js';

class MaxAverageDurationPerAtomic implements SlaCriterion {
  readonly name = 'max_avg_duration_per_atomic';
  success = true;
  private readonly limits: Array<[string, number]>;
  private readonly meanByAction = new Map<string, MeanComputation>();
  private readonly averageByAction = new Map<string, number>();

  constructor(config: Record<string, number>) {
    this.limits = Object.entries(config);
  }

  addIteration(iteration: IterationResult): boolean {
    if (!iterationFailed(iteration)) {
      for (const action of iteration.atomic_actions) {
        let mean = this.meanByAction.get(action.name);
        if (!mean) {
          mean = new MeanComputation();
          this.meanByAction.set(action.name, mean);
        }
        mean.add(action.finished_at - action.started_at);
        this.averageByAction.set(action.name, mean.result() ?? 0);
      }
    }
    this.success = this.limits.every(([action, limit]) => this.averageOf(action) <= limit);
    return this.success;
  }

  private averageOf(action: string): number {
    return this.averageByAction.get(action) ?? 0;
  }

  detail(): string {
    const lines = this.limits.map(
      ([action, limit]) => `Action: '${action}'. ${pyFixed(this.averageOf(action), 2)}s <= ${pyFixed(limit, 2)}s`,
    );
    return ['Average duration of one iteration for atomic actions:', ...lines, `Status: ${statusWord(this.success)}`].join(
      '\n',
    );
  }
}

export const maxAvgDurationPerAtomicPlugin = registerPlugin<SlaPlugin>({
  kind: 'sla',
  name: 'max_avg_duration_per_atomic',
  description: 'Maximum average duration of one iterations atomic actions in seconds.',
  schema: {
    type: 'object',
    patternProperties: { '.*': { type: 'number', description: 'The name of atomic action.' } },
    minProperties: 1,
    additionalProperties: false,
  },
  create: (config) => new MaxAverageDurationPerAtomic(config as Record<string, number>),
});
