/**
 * A verification against a previous one (the baseline): tests that newly fail, tests fixed, and
 * tests that became much slower. "Much slower" needs both a ratio and an absolute step (defaults:
 * at least 2x and at least 1 s more), so sub-second tests' jitter on a busy cloud is not news.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../common/errors.js';
import { failureSummary } from './results.js';
import { isFailingStatus, type VerificationResult, type VerifyTestStatus } from './types.js';

export interface SlowdownThresholds {
  /** current / previous duration at least this (default 2) */
  ratio: number;
  /** current - previous at least this many seconds (default 1) */
  seconds: number;
}

export const DEFAULT_SLOWDOWN: SlowdownThresholds = { ratio: 2, seconds: 1 };

export interface StatusChange {
  id: string;
  /** absent when the test was not in the previous verification */
  previous?: VerifyTestStatus;
  current: VerifyTestStatus;
  reason?: string;
}

export interface Slowdown {
  id: string;
  previous: number;
  current: number;
  ratio: number;
}

export interface VerificationComparison {
  /** failing now (fail/uxsuccess), not failing before (or absent before) */
  newlyFailing: StatusChange[];
  /** failing before, success or xfail now */
  fixed: StatusChange[];
  /** passing both times, much slower now, slowest step first */
  slower: Slowdown[];
  /** in the previous verification, not in this one */
  missing: string[];
  thresholds: SlowdownThresholds;
}

const PASSING: ReadonlySet<VerifyTestStatus> = new Set(['success', 'xfail']);

export function compareVerifications(
  previous: VerificationResult,
  current: VerificationResult,
  thresholds: SlowdownThresholds = DEFAULT_SLOWDOWN,
): VerificationComparison {
  const before = new Map(previous.tests.map((t) => [t.id, t]));
  const now = new Set(current.tests.map((t) => t.id));
  const newlyFailing: StatusChange[] = [];
  const fixed: StatusChange[] = [];
  const slower: Slowdown[] = [];
  for (const test of current.tests) {
    const old = before.get(test.id);
    const reason = test.traceback !== undefined ? failureSummary(test.traceback) : test.reason;
    if (isFailingStatus(test.status) && (!old || !isFailingStatus(old.status))) {
      newlyFailing.push({ id: test.id, ...(old ? { previous: old.status } : {}), current: test.status, ...(reason ? { reason } : {}) });
    } else if (old && isFailingStatus(old.status) && PASSING.has(test.status)) {
      fixed.push({ id: test.id, previous: old.status, current: test.status });
    }
    if (old && test.status === 'success' && old.status === 'success' && old.duration > 0) {
      const ratio = test.duration / old.duration;
      if (ratio >= thresholds.ratio && test.duration - old.duration >= thresholds.seconds) {
        slower.push({ id: test.id, previous: old.duration, current: test.duration, ratio: Math.round(ratio * 100) / 100 });
      }
    }
  }
  slower.sort((a, b) => b.current - b.previous - (a.current - a.previous));
  const missing = previous.tests.filter((t) => !now.has(t.id)).map((t) => t.id);
  return { newlyFailing, fixed, slower, missing, thresholds };
}

/** Reads a results.json written by `rally-gate verify`; InputError naming the file when it is not one. */
export async function loadVerificationResult(file: string): Promise<VerificationResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the previous verification: ${(err as Error).message}`, { file });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not JSON: ${(err as Error).message}`, { file });
  }
  const candidate = data as Partial<VerificationResult> | null;
  if (!candidate || candidate.format !== 'rally-gate-verification/1' || !Array.isArray(candidate.tests)) {
    throw new InputError('not a verification results.json (expected "format": "rally-gate-verification/1" and "tests")', { file });
  }
  return candidate as VerificationResult;
}
