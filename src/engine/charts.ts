/**
 * Validation of custom output charts (Scenario.add_output, hook outputs), with the exact
 * messages of Rally's rally/task/processing/charts.py validate_output().
 */

export type OutputKind = 'additive' | 'complete';

const keyTypes: Record<string, 'str' | 'list-or-dict'> = {
  title: 'str',
  description: 'str',
  chart_plugin: 'str',
  data: 'list-or-dict',
  label: 'str',
  axis_label: 'str',
};
const requiredKeys = ['title', 'chart_plugin', 'data'];

/** Python's type(x).__name__ for JSON-ish values, used in Rally's messages. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Returns Rally's error message for an invalid chart, or null when it is valid. */
export function validateOutput(kind: string, output: unknown): string | null {
  if (kind !== 'additive' && kind !== 'complete') {
    return `unexpected output type: '${kind}', should be in ('additive', 'complete')`;
  }
  if (typeof output !== 'object' || output === null || Array.isArray(output)) {
    return `${kind} output item has wrong type '${pythonTypeName(output)}', must be 'dict'`;
  }
  const chart = output as Record<string, unknown>;
  for (const key of requiredKeys) {
    if (!(key in chart)) return `${kind} output missing key '${key}'`;
  }
  for (const [key, value] of Object.entries(chart)) {
    const expected = keyTypes[key];
    if (!expected) return `${kind} output has unexpected key '${key}'`;
    const actual = pythonTypeName(value);
    if (expected === 'str' && actual !== 'str') {
      return `Value of ${kind} output ${key} has wrong type '${actual}', should be str`;
    }
    if (expected === 'list-or-dict' && actual !== 'list' && actual !== 'dict') {
      return `Value of ${kind} output ${key} has wrong type '${actual}', should be in ('list', 'dict')`;
    }
  }
  return null;
}
