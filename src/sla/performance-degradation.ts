/**
 * performance_degradation: (slowest / fastest successful iteration - 1) * 100 must not exceed
 * `max_degradation` percent. Within one run, not against a baseline (Rally's semantics).
 */
import type { IterationResult } from '../engine/types.js';
import { registerPlugin } from '../plugins/registry.js';
import { formatFloatToStr } from '../report/python-format.js';
import { iterationFailed, statusWord, type SlaCriterion, type SlaPlugin } from './types.js';

interface PerformanceDegradationConfig {
  max_degradation: number;
}

class PerformanceDegradation implements SlaCriterion {
  readonly name = 'performance_degradation';
  success = true;
  private readonly maxDegradation: number;
  private minDuration: number | null = null;
  private maxDuration: number | null = null;

  constructor(config: PerformanceDegradationConfig) {
    this.maxDegradation = config.max_degradation;
  }

  addIteration(iteration: IterationResult): boolean {
    // Rally raises on a duration <= 0 (its ratio needs positive numbers), which kills its result
    // consumer; we skip such values instead so one clock-resolution artefact cannot crash a run.
    if (!iterationFailed(iteration) && iteration.duration > 0) {
      const duration = iteration.duration;
      if (this.minDuration === null || duration < this.minDuration) this.minDuration = duration;
      if (this.maxDuration === null || duration > this.maxDuration) this.maxDuration = duration;
    }
    this.success = this.degradation() <= this.maxDegradation;
    return this.success;
  }

  private degradation(): number {
    if (this.minDuration === null || this.maxDuration === null) return 0;
    return (this.maxDuration / this.minDuration - 1) * 100;
  }

  detail(): string {
    return `Current degradation: ${formatFloatToStr(this.degradation())}% - ${statusWord(this.success)}`;
  }
}

export const performanceDegradationPlugin = registerPlugin<SlaPlugin>({
  kind: 'sla',
  name: 'performance_degradation',
  description: 'Calculates performance degradation based on iteration time.',
  schema: {
    type: 'object',
    properties: { max_degradation: { type: 'number', minimum: 0 } },
    required: ['max_degradation'],
    additionalProperties: false,
  },
  create: (config) => new PerformanceDegradation(config as PerformanceDegradationConfig),
});
