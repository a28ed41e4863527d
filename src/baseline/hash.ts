/**
 * Identity of workloads and clouds.
 *
 * workloadHash() is Rally's trends key (rally/task/processing/plot.py Trends._make_hash over
 * objects.Workload.to_task with the task and subtask descriptions removed): editing a workload's
 * args, runner, contexts, SLA or hooks makes it a different workload, while rewording its
 * description, retitling the task or moving it to another file does not.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../common/json.js';
import { workloadRunner, workloadScenario, type WorkloadConfig } from '../task/types.js';

/** Python's str() of a JSON scalar as Rally's _to_str sees it. */
function pythonScalar(value: JsonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  return String(value);
}

/** str(int) or str(float): our JSON cannot tell 1.0 from 1 (both print "1"; see docs/gate.md). */
function pythonNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  // Python writes 1e-05 where JS writes 0.00001 / 1e-7; both switch to exponent form at 1e16.
  if (/e/.test(text)) return text.replace(/e([+-])(\d)$/, 'e$10$2');
  return text;
}

/** Rally's Trends._to_str: sorted, order-free text of a config. */
export function rallyConfigString(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (Array.isArray(value)) return value.map((v) => rallyConfigString(v)).sort(pyCompare).join(',');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k.trim()}:${rallyConfigString(v)}`)
      .sort(pyCompare)
      .join('|');
  }
  return pythonScalar(value).trim();
}

/** Python compares str by code point; JS's default sort compares UTF-16 units (same for the BMP). */
function pyCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** md5 of the workload as Rally's trends report keys it (hex, 32 chars). */
export function workloadHash(workload: WorkloadConfig): string {
  const scenario = workloadScenario(workload);
  const runner = workloadRunner(workload);
  const cropped: JsonValue = {
    version: 2,
    title: 'A cropped version of a bigger task.',
    subtasks: [
      {
        title: scenario.name,
        scenario: { [scenario.name]: scenario.args },
        contexts: workload.contexts as JsonValue,
        runner: { [runner.type]: runner.config },
        hooks: workload.hooks.map((hook) => ({
          description: hook.description ?? null,
          action: hook.action as JsonValue,
          trigger: hook.trigger as JsonValue,
        })),
        sla: workload.sla as JsonValue,
      },
    ],
  };
  return createHash('md5').update(rallyConfigString(cropped), 'utf8').digest('hex');
}

/**
 * A short, stable id of the cloud a run measured: give it whatever is known (service versions,
 * endpoint types, region, flavor of the runner host...). Keys are sorted and empty values dropped,
 * so the same facts always give the same fingerprint.
 */
export function cloudFingerprint(facts: Readonly<Record<string, string | number | boolean | undefined | null>>): string {
  const known = Object.entries(facts)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .sort(([a], [b]) => pyCompare(a, b))
    .map(([k, v]) => `${k}=${String(v)}`);
  return createHash('sha256').update(known.join('\n'), 'utf8').digest('hex').slice(0, 16);
}
