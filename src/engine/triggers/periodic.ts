/**
 * Rally's `periodic` hook trigger: fires when start <= value <= end and (value - start) % step == 0,
 * with start defaulting to 0 for unit time and 1 for unit iteration, and no end by default.
 */
import { isJsonObject } from '../../common/json.js';
import { registerHookTrigger } from '../hook.js';
import { triggerUnit } from './event.js';

function periodic(unit: 'time' | 'iteration', startMinimum: number, description: string): Record<string, unknown> {
  return {
    description,
    properties: {
      unit: { enum: [unit] },
      start: { type: 'integer', minimum: startMinimum },
      end: { type: 'integer', minimum: 1 },
      step: { type: 'integer', minimum: 1 },
    },
    required: ['unit', 'step'],
    additionalProperties: false,
  };
}

export const periodicTrigger = registerHookTrigger({
  name: 'periodic',
  description: 'Periodically triggers hook with specified range and step.',
  schema: {
    type: 'object',
    oneOf: [
      periodic('time', 0, 'Periodically triage hook based on elapsed time after start of workload.'),
      periodic('iteration', 1, 'Periodically triage hook based on iterations.'),
    ],
  },
  listensTo: triggerUnit,
  fires(config, value) {
    if (!isJsonObject(config)) return false;
    const unit = triggerUnit(config);
    const start = typeof config.start === 'number' ? config.start : unit === 'time' ? 0 : 1;
    const end = typeof config.end === 'number' ? config.end : Infinity;
    const step = typeof config.step === 'number' ? config.step : 1;
    return start <= value && value <= end && (value - start) % step === 0;
  },
});
