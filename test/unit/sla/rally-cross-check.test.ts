/**
 * Cross-check against Rally's own SLA classes: fixtures/rally-sla-cases.json was produced by
 * fixtures/generate-sla-cases.py running Rally 3.3.0's SLAChecker on random iteration sequences.
 * Every per-iteration verdict (what --abort-on-sla-failure reacts to) and every final detail must match.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/common/json.js';
import type { IterationResult, SlaResult } from '../../../src/engine/types.js';
import { SlaChecker } from '../../../src/sla/checker.js';
import '../../../src/sla/failure-rate.js';
import '../../../src/sla/max-seconds-per-iteration.js';
import '../../../src/sla/max-avg-duration.js';
import '../../../src/sla/max-avg-duration-per-atomic.js';
import '../../../src/sla/outliers.js';
import '../../../src/sla/performance-degradation.js';

interface Fixture {
  sequences: Array<{
    profile: string;
    iterations: IterationResult[];
    checks: Array<{ sla: Record<string, JsonValue>; verdicts: string; results: SlaResult[] }>;
  }>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/rally-sla-cases.json', import.meta.url), 'utf8')) as Fixture;

describe('SlaChecker agrees with Rally 3.3.0 on generated sequences', () => {
  for (const sequence of fixture.sequences) {
    for (const check of sequence.checks) {
      it(`${sequence.profile} x${sequence.iterations.length} ${JSON.stringify(check.sla)}`, () => {
        const checker = new SlaChecker(check.sla);
        let verdicts = '';
        for (const iteration of sequence.iterations) {
          checker.onIteration(iteration);
          verdicts += checker.failing ? 'F' : 'P';
        }
        expect(verdicts).toBe(check.verdicts);
        expect(checker.results()).toEqual(check.results);
      });
    }
  }
});
