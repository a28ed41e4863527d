/**
 * Runs Rally 3.3.0's own loader code (rally_reference.py with Debian's /usr/bin/python3) to get
 * reference results for differential tests. Unavailable (undefined) when that Python lacks
 * jinja2, PyYAML or python3-rally; tests then skip with a message saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'rally_reference.py');

export type ReferenceJob =
  | { mode: 'render' | 'load'; template: string; template_dir: string; args: string | null }
  | { mode: 'yaml'; text: string };

export interface ReferenceResult {
  rendered?: string;
  normalized?: unknown;
  value?: unknown;
  error?: { stage?: string; type: string; message: string };
}

function probe(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const check = spawnSync(PYTHON, ['-c', 'import jinja2, yaml, rally.api, rally.task.task_cfg'], { encoding: 'utf8' });
  if (check.status !== 0) return `${PYTHON} lacks jinja2/PyYAML/python3-rally (${check.stderr.trim().split('\n').pop() ?? ''})`;
  return undefined;
}

/** Why Rally's reference code cannot run here, or undefined when it can. */
export const referenceUnavailable: string | undefined = probe();

export const SKIP_MESSAGE = `differential check against Rally's Python loader skipped: ${referenceUnavailable ?? ''}`;

/** Runs the jobs in one Python process; results in the same order. */
export function runRallyReference(jobs: ReferenceJob[]): ReferenceResult[] {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`rally_reference.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ReferenceResult[];
}
