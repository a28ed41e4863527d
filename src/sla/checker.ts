/**
 * SlaChecker: all criteria of one workload, fed iteration by iteration (Rally's SLAChecker).
 * Criteria are looked up in the plugin registry, so `src/plugins/index.js` (or the SLA plugin
 * files) must have been imported before a checker is built.
 */
import { InputError } from '../common/errors.js';
import type { JsonValue } from '../common/json.js';
import type { IterationResult, IterationSink, SlaResult } from '../engine/types.js';
import { findPlugin } from '../plugins/registry.js';
import { criterionResult, type SlaCriterion, type SlaPlugin } from './types.js';

/** How the workload ended, for Rally's extra criteria. */
export interface SlaRunOutcome {
  /** the runner was stopped because an SLA failed (--abort-on-sla-failure) */
  abortedOnSla?: boolean;
  /** the run was aborted by the user (Ctrl-C / abort signal) */
  abortedManually?: boolean;
  /**
   * the workload crashed; the reason shown in the detail is a string, an Error's message, or the
   * `msg` of the engine's `unexpectedFailure` record
   */
  crashed?: boolean | string | Error | { msg: string };
}

export class SlaChecker implements IterationSink {
  private readonly criteria: SlaCriterion[];
  private lastCheckPassed = true;

  /** `sla` is the workload's normalised sla config: criterion name -> config, in task order. */
  constructor(sla: Record<string, JsonValue>) {
    this.criteria = Object.entries(sla).map(([name, config]) => {
      const plugin = findPlugin<SlaPlugin>('sla', name);
      if (!plugin) throw new InputError(`unknown SLA criterion "${name}"`, undefined, ['sla', name]);
      return plugin.create(config);
    });
  }

  onIteration(result: IterationResult): void {
    // Every criterion sees every iteration (no short-circuit), as Rally's all([...]) over a list does.
    let passed = true;
    for (const criterion of this.criteria) {
      if (!criterion.addIteration(result)) passed = false;
    }
    this.lastCheckPassed = passed;
  }

  /**
   * Whether the latest iteration left any criterion failing: the moment Rally's
   * --abort-on-sla-failure stops the runner. False before the first iteration.
   */
  get failing(): boolean {
    return !this.lastCheckPassed;
  }

  /** Results in Rally's order: criteria in config order, then aborted_on_sla, aborted_manually, something_went_wrong. */
  results(outcome: SlaRunOutcome = {}): SlaResult[] {
    const results = this.criteria.map(criterionResult);
    if (outcome.abortedOnSla) {
      results.push({ criterion: 'aborted_on_sla', success: false, detail: 'Task was aborted due to SLA failure(s).' });
    }
    if (outcome.abortedManually) {
      results.push({ criterion: 'aborted_manually', success: false, detail: 'Task was aborted due to abort signal.' });
    }
    if (outcome.crashed) {
      results.push({
        criterion: 'something_went_wrong',
        success: false,
        detail: `Unexpected error: ${crashReason(outcome.crashed)}`,
      });
    }
    return results;
  }
}

function crashReason(crashed: true | string | Error | { msg: string }): string {
  if (crashed === true) return 'unknown error';
  if (typeof crashed === 'string') return crashed;
  return crashed instanceof Error ? crashed.message : crashed.msg;
}

/** Rally's pass_sla: every criterion succeeded (true when there are none). */
export function slaPassed(results: readonly SlaResult[]): boolean {
  return results.every((r) => r.success);
}
