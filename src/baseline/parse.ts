/** Reading stored baseline documents back, refusing anything that is not one (a store is input). */
import { InfraError } from '../common/errors.js';
import { BASELINE_FORMAT, type BaselineIndex, type BaselineRun } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseBaselineRun(text: string, source: string): BaselineRun {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InfraError(`baseline ${source} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value) || value['format'] !== BASELINE_FORMAT || !Array.isArray(value['workloads'])) {
    throw new InfraError(`baseline ${source} is not a rally-gate baseline run (format ${BASELINE_FORMAT})`);
  }
  for (const key of ['id', 'commit', 'branch', 'time', 'fingerprint']) {
    if (typeof value[key] !== 'string') throw new InfraError(`baseline ${source}: "${key}" must be a string`);
  }
  return value as unknown as BaselineRun;
}

export function parseBaselineIndex(text: string, source: string): BaselineIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InfraError(`baseline index ${source} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value) || value['format'] !== BASELINE_FORMAT || !Array.isArray(value['runs'])) {
    throw new InfraError(`baseline index ${source} is not a rally-gate index (format ${BASELINE_FORMAT})`);
  }
  for (const entry of value['runs'] as unknown[]) {
    if (!isObject(entry) || typeof entry['file'] !== 'string' || !/^runs\/[A-Za-z0-9_.-]+\.json$/.test(entry['file'])) {
      throw new InfraError(`baseline index ${source}: an entry has no valid "file" (runs/<id>.json)`);
    }
  }
  return value as unknown as BaselineIndex;
}
