/**
 * Workflow annotations for what fails the gate, each pointing at its workload's line in the task
 * file (shown on the PR's "Files changed" tab and the run page). Plain data here; the action emits
 * them with @actions/core, which escapes them as workflow commands.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { GateJudgement, WorkloadIdentity } from '../../gate/compare.js';
import { percentChange, workloadLabel } from '../../gate/report.js';
import type { GateWorkloadOutcome } from '../../gate/run-gate.js';

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  /** path relative to the workspace (what GitHub matches against the repository) */
  file?: string;
  line?: number;
  column?: number;
}

/** GitHub shows at most 10 error annotations per step; more are dropped, so we stay below. */
export const MAX_ANNOTATIONS = 10;

function locate(workloads: readonly GateWorkloadOutcome[], w: WorkloadIdentity, workspace: string): Pick<Annotation, 'file' | 'line' | 'column'> {
  const found = workloads.find((o) => o.task === w.task && o.subtask === w.subtask && o.scenario === w.scenario && o.position === w.position);
  const file = found?.location.file ?? w.task;
  const path = relative(workspace, isAbsolute(file) ? file : resolve(file));
  return {
    // outside the workspace GitHub cannot place it: keep the message, drop the position
    ...(path.startsWith('..') ? {} : { file: path.split('\\').join('/') }),
    ...(found?.location.line !== undefined ? { line: found.location.line } : {}),
    ...(found?.location.column !== undefined ? { column: found.location.column } : {}),
  };
}

/** One annotation per SLA failure, unwaived regression and new-failures flag (waived ones as warnings). */
export function gateAnnotations(judgement: GateJudgement, workloads: readonly GateWorkloadOutcome[], workspace: string): Annotation[] {
  const out: Annotation[] = [];
  for (const f of judgement.slaFailures) {
    out.push({ level: 'error', title: `rally-gate: SLA ${f.criterion} failed`, message: `${workloadLabel(f.workload)} (${f.workload.subtask}): ${f.detail}`, ...locate(workloads, f.workload, workspace) });
  }
  for (const c of judgement.comparisons) {
    if (c.kind !== 'regression') continue;
    const interval = c.interval ? ` (interval ${c.interval.map(percentChange).join(' .. ')})` : '';
    const waived = c.waiver ? `; waived: ${c.waiver.reason}` : '';
    out.push({
      level: c.waiver ? 'warning' : 'error',
      title: `rally-gate: ${c.waiver ? 'waived ' : ''}regression`,
      message: `${workloadLabel(c.workload, c.action)} (${c.workload.subtask}): median ${percentChange(c.ratio)}${interval} against ${c.baselineRuns} baseline run(s), threshold ${c.thresholdPercent}%${waived}`,
      ...locate(workloads, c.workload, workspace),
    });
  }
  for (const f of judgement.failureChanges) {
    const message = `${workloadLabel(f.workload, f.action)} (${f.workload.subtask}): ${f.currentFailures} of ${f.currentCount} iterations failed (${f.currentPercent.toFixed(1)}%; baseline ${f.baselinePercent.toFixed(1)}%)`;
    const errors = workloads.find((o) => o.task === f.workload.task && o.subtask === f.workload.subtask && o.position === f.workload.position)?.errors ?? [];
    const top = errors[0] ? `; most frequent: ${errors[0].type}: ${errors[0].message}`.slice(0, 300) : '';
    out.push({ level: f.waiver ? 'warning' : 'error', title: `rally-gate: ${f.waiver ? 'waived ' : ''}new failures`, message: `${message}${top}`, ...locate(workloads, f.workload, workspace) });
  }
  // errors first, so the cap never hides an error behind a warning
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}
