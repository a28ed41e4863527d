/**
 * SLA plugins: one criterion per workload `sla` entry, fed every iteration as it finishes
 * (Rally checks SLAs online, so --abort-on-sla-failure can stop a run at the first failure).
 */
import type { IterationResult, SlaResult } from '../engine/types.js';
import type { PluginBase } from '../plugins/registry.js';

/** The running state of one criterion over the iterations seen so far. */
export interface SlaCriterion {
  /** Rally's criterion name, e.g. "failure_rate" */
  readonly name: string;
  /** consume one iteration; returns whether the criterion passes after it (Rally's add_iteration) */
  addIteration(iteration: IterationResult): boolean;
  /** whether the criterion passes now; true before any iteration, like Rally */
  readonly success: boolean;
  /** Rally's detail string for the current state, byte-compatible */
  detail(): string;
}

export interface SlaPlugin extends PluginBase {
  kind: 'sla';
  /** a fresh criterion for one workload; `config` already passed `schema` (and validateConfig) */
  create(config: unknown): SlaCriterion;
}

/** Rally's "Passed" / "Failed" word at the end of most details. */
export function statusWord(success: boolean): 'Passed' | 'Failed' {
  return success ? 'Passed' : 'Failed';
}

export function criterionResult(criterion: SlaCriterion): SlaResult {
  return { criterion: criterion.name, success: criterion.success, detail: criterion.detail() };
}

/** Rally treats an iteration as failed when its error list is non-empty. */
export function iterationFailed(iteration: IterationResult): boolean {
  return iteration.error.length > 0;
}
