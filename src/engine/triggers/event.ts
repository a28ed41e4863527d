/**
 * Rally's `event` hook trigger: fires at the listed iterations (unit: iteration, values >= 1,
 * sent when the iteration starts) or at the listed whole seconds since the first iteration
 * started (unit: time, values >= 0).
 */
import { isJsonObject, type JsonValue } from '../../common/json.js';
import { registerHookTrigger, type HookEventType } from '../hook.js';

function atList(unit: 'time' | 'iteration', minimum: number, description: string): Record<string, unknown> {
  return {
    description,
    properties: {
      unit: { enum: [unit] },
      at: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum } },
    },
    required: ['unit', 'at'],
    additionalProperties: false,
  };
}

export function triggerUnit(config: JsonValue): HookEventType {
  return isJsonObject(config) && config.unit === 'time' ? 'time' : 'iteration';
}

export const eventTrigger = registerHookTrigger({
  name: 'event',
  description: 'Triggers hook on specified event and list of values.',
  schema: {
    type: 'object',
    oneOf: [
      atList('time', 0, 'Triage hook based on specified seconds after start of workload.'),
      atList('iteration', 1, 'Triage hook based on specific iterations.'),
    ],
  },
  listensTo: triggerUnit,
  fires(config, value) {
    return isJsonObject(config) && Array.isArray(config.at) && config.at.includes(value);
  },
});
