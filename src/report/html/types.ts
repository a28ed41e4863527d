/**
 * Data shapes of the HTML report: what callers pass in (options, the baseline comparison) and the
 * compact per-workload chart data embedded in the page as JSON for the browser script.
 */
import type { LoadedTaskRecord, TaskRunRecord } from '../types.js';

/** A task as the orchestrator produced it (iterations in NDJSON files) or as read from a Rally JSON file. */
export type HtmlReportTask = TaskRunRecord | LoadedTaskRecord;

/**
 * The baseline comparison of one workload, filled by the gate (current run vs a stored baseline).
 * Numbers are seconds unless the metric says otherwise; `change` is relative (0.12 = +12 %).
 */
export interface ComparisonMetric {
  /** what is compared, e.g. "total" or an atomic action's display name */
  name: string;
  /** which statistic, e.g. "median", "90%ile" */
  statistic: string;
  /** absent when one side has no data (then the verdict is "not-enough-data") */
  current?: number;
  baseline?: number;
  change?: number;
  /** confidence interval of the change (relative, same unit as `change`), when the gate computed one */
  interval?: [number, number];
  /**
   * the gate's judgement of this metric: "better" an improvement, "unchanged", "worse" slower but not
   * flagged, "regression" flagged, "waived" flagged but covered by a waiver, "not-enough-data"
   */
  verdict: 'better' | 'unchanged' | 'worse' | 'regression' | 'waived' | 'not-enough-data';
  /** optional explanation shown next to the verdict, e.g. "threshold +10 %" */
  note?: string;
}

export interface WorkloadComparison {
  /** which task of the page (index in the records given; default 0, the first) */
  taskIndex?: number;
  /** which workload: its subtask index and position in the subtask (WorkloadRunSummary) */
  subtaskIndex: number;
  position: number;
  metrics: ComparisonMetric[];
  /** duration samples (seconds) of both runs for the distribution chart; downsampled by the report */
  distributions?: { current: number[]; baseline: number[] };
}

export interface HtmlComparison {
  /** what the baseline is, e.g. "main@3f2c1a0, 5 runs" */
  baselineLabel: string;
  /** the overall verdict of the gate, shown in the summary */
  verdict?: 'pass' | 'fail';
  workloads: WorkloadComparison[];
}

export interface HtmlReportOptions {
  /** page title; defaults to the task's title or "rally-gate task report" */
  title?: string;
  /** the baseline comparison section; hidden when absent */
  comparison?: HtmlComparison;
  /** how many failure groups to show per workload (default 20) */
  maxFailureGroups?: number;
  /** at most this many points per chart series (default 1000) */
  maxSeriesPoints?: number;
  /** shown in the page footer; defaults to now */
  generatedAt?: Date;
}

// ---------------------------------------------------------------------------------------------
// Data embedded in the page (compact JSON read by the browser script)

/** Columns sharing one x axis: x first, then one array per series. */
export interface ChartColumns {
  x: number[];
  /** `points`: draw markers only (e.g. failed iterations), no line */
  series: Array<{ label: string; values: Array<number | null>; points?: true }>;
}

export interface HistogramData {
  label: string;
  /** left edges of the bins and the right edge of the last one (bins.length + 1 entries) */
  edges: number[];
  counts: number[];
  /** set when the last bin holds every value above this one (outliers beyond the 99th percentile) */
  overflowFrom?: number;
  /** counts are percentages of the series' values (so samples of different sizes overlay) */
  share?: true;
}

/** A custom-output chart ready to draw (additive ones aggregated over iterations). */
export type OutputChartData = (
  | { kind: 'lines' | 'stacked'; title: string; description: string; label: string; axisLabel: string; columns: ChartColumns }
  | { kind: 'bars'; title: string; description: string; rows: Array<[string, number]> }
  | { kind: 'table'; title: string; description: string; cols: string[]; rows: Array<Array<string | number | null>> }
  | { kind: 'text'; title: string; description: string; lines: string[] }
) & {
  /** complete output: the iteration (or hook run) number it belongs to; absent for additive charts */
  source?: number;
};

export interface WorkloadChartData {
  /** the DOM id of the workload section */
  id: string;
  /** durations (total and per atomic action) over iteration number, min/max per bucket */
  durations: ChartColumns;
  /** atomic actions stacked per iteration (bucket means, so the stack still sums to the total) */
  atomicsStacked: ChartColumns;
  /** concurrent iterations over seconds since the first iteration */
  loadProfile: ChartColumns;
  /** distribution of successful iteration durations: total first, then atomic actions */
  histograms: HistogramData[];
  /** custom outputs: additive (aggregated) then the complete ones of the iterations kept */
  outputs: OutputChartData[];
  /** hook outputs, as custom output charts */
  hookOutputs: OutputChartData[];
  /** baseline vs current distributions, when a comparison was given */
  comparison?: { current: HistogramData; baseline: HistogramData };
}

export interface ReportPageData {
  workloads: WorkloadChartData[];
}
