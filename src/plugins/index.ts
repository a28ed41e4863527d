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
import '../engine/runners/constant.js';
import '../engine/runners/constant-for-duration.js';
import '../engine/runners/rps.js';
import '../engine/runners/serial.js';
import '../engine/hooks/sys-call.js';
import '../engine/triggers/event.js';
import '../engine/triggers/periodic.js';
import './dummy/dummy.js';
import './dummy/failure.js';
import './dummy/dummy-exception.js';
import './dummy/dummy-exception-probability.js';
import './dummy/dummy-output.js';
import './dummy/dummy-random-fail-in-atomic.js';
import './dummy/dummy-random-action.js';
import './dummy/dummy-timed-atomic-actions.js';
import './dummy/dummy-context.js';
import './http/check-request.js';
import './http/check-random-request.js';
import './openstack/contexts/users.js';
import './openstack/cleanup/cleanup-contexts.js';
import './openstack/cleanup/keystone-resources.js';
