/** Public API of the reporting side: statistics, the task run record, and every output format. */
export { StatsAccumulator, mergeAtomicActions, percentile } from './stats.js';
export type { DurationStatsData, DurationStatsRow, StatValue, WorkloadStatistics } from './stats.js';
export {
  allWorkloads,
  rallyTimestamp,
  scenarioName,
  taskPassedSla,
  timestampSeconds,
} from './types.js';
export type {
  LoadedRallyReport,
  LoadedSubtaskRecord,
  LoadedTaskRecord,
  LoadedWorkloadRecord,
  RallyReportInfo,
  SubtaskRunRecord,
  SubtaskRunStatus,
  TaskRunRecord,
  TaskRunStatus,
  WorkloadRunRecord,
} from './types.js';
export { RALLY_JSON_FORMAT_VERSION, iterationToJson, readRallyJson, writeRallyJson } from './rally-json.js';
export type { RallyJsonOptions } from './rally-json.js';
export { junitClassAndName, renderJUnit, writeJUnit } from './junit.js';
export type { JUnitOptions } from './junit.js';
export {
  IterationErrorCollector,
  summarizeIterationErrors,
  summarizeIterationErrorsFromFile,
} from './iteration-errors.js';
export type { IterationErrorGroup, IterationErrorSummary } from './iteration-errors.js';
export {
  countFailedCriteria,
  formatDurations,
  formatIterationCounts,
  formatResponseTimes,
  formatSlaCheckJson,
  formatSlaCheckTable,
  formatTaskConsole,
  formatWorkloadConsole,
  renderTable,
  slaCheckRows,
} from './console.js';
export type { Cell, CellColor, SlaCheckRow, TaskConsoleOptions, WorkloadConsoleOptions } from './console.js';
