/**
 * Every plugin rally-gate ships, one import line each. Importing this module registers them.
 * Adding a plugin: write its file, add its line here.
 */
import '../sla/failure-rate.js';
import '../sla/max-seconds-per-iteration.js';
import '../sla/max-avg-duration.js';
import '../sla/max-avg-duration-per-atomic.js';
import '../sla/outliers.js';
import '../sla/performance-degradation.js';
