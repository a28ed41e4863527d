/** Errors shared by the Dummy scenarios (rally/plugins/task/scenarios/dummy/dummy.py). */
import { RallyException } from '../../engine/exceptions.js';

/** Rally's DummyScenarioException: msg_fmt "Dummy scenario expected exception: '%(message)s'". */
export class DummyScenarioException extends RallyException {
  constructor(message: string) {
    super(`Dummy scenario expected exception: '${message}'`, 'DummyScenarioException');
  }
}

/**
 * Rally's "number" validator (rally/plugins/common/validators.py NumberValidator) for one scenario
 * arg, with its messages; returns [] when the value is fine.
 */
export function checkNumberArg(
  args: unknown,
  name: string,
  rule: { min?: number; max?: number; integerOnly: boolean; nullable: boolean },
): Array<{ path: string[]; message: string }> {
  const value = typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[name] : undefined;
  if (value === undefined) return rule.nullable ? [] : [{ path: [name], message: `${name} is None which is not a valid ${rule.integerOnly ? 'int' : 'float'}` }];
  if (value === null && rule.nullable) return [];
  const fail = (message: string) => [{ path: [name], message }];
  if (typeof value !== 'number') {
    return fail(`${name} is ${String(value)} which is not a valid ${rule.integerOnly ? 'int' : 'float'}`);
  }
  if (rule.integerOnly && !Number.isInteger(value)) return fail(`${name} is ${value} which hasn't int type`);
  if (rule.min !== undefined && value < rule.min) {
    return fail(`${name} is ${value} which is less than the minimum (${rule.min})`);
  }
  if (rule.max !== undefined && value > rule.max) {
    return fail(`${name} is ${value} which is greater than the maximum (${rule.max})`);
  }
  return [];
}
