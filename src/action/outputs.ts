/** The action's outputs (action.yml lists them): the verdict, its counts and where the reports are. */
import * as core from '@actions/core';
import type { GateRunResult } from '../gate/run-gate.js';

export function verdictName(result: Pick<GateRunResult, 'passed' | 'interrupted'>): 'passed' | 'failed' | 'interrupted' {
  return result.interrupted ? 'interrupted' : result.passed ? 'passed' : 'failed';
}

export function setGateOutputs(result: GateRunResult, comment?: { id: number; url: string }): void {
  const c = result.counts;
  const outputs: Record<string, string | number> = {
    verdict: verdictName(result),
    'exit-code': result.exitCode,
    workloads: c.workloads,
    regressions: c.regressions,
    'waived-regressions': c.waivedRegressions,
    improvements: c.improvements,
    'not-enough-data': c.notEnoughData,
    'new-failures': c.newFailures,
    'sla-failures': c.slaFailures,
    'results-dir': result.files.outDir,
    'summary-path': result.files.summary,
    'verdict-path': result.files.verdict,
    'junit-path': result.files.junit,
    'html-path': result.files.html ?? '',
    'baseline-store': result.storeNote,
    'comment-id': comment ? String(comment.id) : '',
    'comment-url': comment?.url ?? '',
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}
