/**
 * Public API of the SLA side. The criteria themselves register through src/plugins/index.ts;
 * import that module (or the plugin files) before building an SlaChecker.
 */
export { SlaChecker, slaPassed } from './checker.js';
export type { SlaRunOutcome } from './checker.js';
export type { SlaCriterion, SlaPlugin } from './types.js';
