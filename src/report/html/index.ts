/**
 * The self-contained HTML task report: `writeHtmlReport(records, file, options)`.
 *
 * Accepts what a run produced (TaskRunRecord, iterations in NDJSON files) and what a Rally JSON
 * file holds (LoadedTaskRecord, iterations in memory, from `readRallyJson`), one or several tasks.
 * The page inlines its chart library and data: it works offline from file://.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { iterationsInTimestampOrder } from '../iteration-file.js';
import { type LoadedWorkloadRecord, type WorkloadRunRecord } from '../types.js';
import { roundSignificant } from './downsample.js';
import { renderPage, type PageView, type TaskView, type WorkloadView } from './render.js';
import type { HistogramData, HtmlComparison, HtmlReportOptions, HtmlReportTask, WorkloadComparison } from './types.js';
import { analyseWorkload, analyseWorkloadStream, hookOutputs } from './workload-analysis.js';

export type { HtmlComparison, HtmlReportOptions, HtmlReportTask, WorkloadComparison, ComparisonMetric } from './types.js';

const DEFAULT_MAX_FAILURE_GROUPS = 20;
const DEFAULT_MAX_SERIES_POINTS = 1000;

/** Write the report of one or several tasks to `file` (written next to it, then renamed). */
export async function writeHtmlReport(
  records: HtmlReportTask | readonly HtmlReportTask[],
  file: string,
  options: HtmlReportOptions = {},
): Promise<void> {
  const html = await renderHtmlReport(records, options);
  const partial = `${file}.partial-${process.pid}`;
  try {
    await writeFile(partial, html);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** The report as one HTML string. */
export async function renderHtmlReport(
  records: HtmlReportTask | readonly HtmlReportTask[],
  options: HtmlReportOptions = {},
): Promise<string> {
  const tasks = (Array.isArray(records) ? records : [records]) as readonly HtmlReportTask[];
  const maxSeriesPoints = options.maxSeriesPoints ?? DEFAULT_MAX_SERIES_POINTS;
  const taskViews: TaskView[] = [];
  for (const [taskIndex, task] of tasks.entries()) {
    const workloads: WorkloadView[] = [];
    for (const subtask of task.subtasks) {
      for (const workload of subtask.workloads as ReadonlyArray<WorkloadRunRecord | LoadedWorkloadRecord>) {
        workloads.push(await workloadView(workload, subtask.config.title, taskIndex, maxSeriesPoints, options.comparison));
      }
    }
    taskViews.push({
      uuid: task.uuid,
      title: task.title,
      description: task.description,
      status: task.status,
      envName: task.envName,
      createdAt: task.createdAt,
      updatedAt: task.updatedAt,
      passSla: task.passSla,
      task: task.task,
      workloads,
    });
  }
  const firstTitle = tasks.length === 1 ? tasks[0]?.title : '';
  const page: PageView = {
    title: options.title ?? (firstTitle ? firstTitle : 'rally-gate task report'),
    generatedAt: options.generatedAt ?? new Date(),
    tasks: taskViews,
    comparison: options.comparison,
    maxFailureGroups: options.maxFailureGroups ?? DEFAULT_MAX_FAILURE_GROUPS,
  };
  return renderPage(page);
}

async function workloadView(
  workload: WorkloadRunRecord | LoadedWorkloadRecord,
  subtaskTitle: string,
  taskIndex: number,
  maxSeriesPoints: number,
  comparison: HtmlComparison | undefined,
): Promise<WorkloadView> {
  const { summary } = workload;
  const id = `w${taskIndex + 1}-${summary.subtaskIndex + 1}-${summary.position + 1}`;
  const context = { statistics: workload.statistics, loadDuration: summary.loadDuration, maxSeriesPoints };
  const analysis =
    'iterations' in workload
      ? analyseWorkload(workload.iterations, context)
      : await analyseWorkloadStream(iterationsInTimestampOrder(workload.summary.iterationsFile, summary.totalIterationCount), context);
  const hookCharts = hookOutputs(summary.hooks ?? [], maxSeriesPoints);
  // Comparisons name workloads by task index (default the first), subtask and position.
  const workloadComparison = comparison?.workloads.find(
    (c) => (c.taskIndex ?? 0) === taskIndex && c.subtaskIndex === summary.subtaskIndex && c.position === summary.position,
  );
  const distributions = workloadComparison?.distributions;
  const { iterationsFile: _ignored, ...summaryWithoutFile } = summary as typeof summary & { iterationsFile?: string };
  return {
    id,
    subtaskTitle,
    config: workload.config,
    description: workload.description,
    summary: summaryWithoutFile,
    statistics: workload.statistics,
    analysis,
    hookOutputs: hookCharts,
    comparison: workloadComparison,
    chartData: {
      id,
      durations: analysis.durations,
      atomicsStacked: analysis.atomicsStacked,
      loadProfile: analysis.loadProfile,
      histograms: analysis.histograms,
      outputs: analysis.outputs,
      hookOutputs: hookCharts,
      ...(distributions ? { comparison: sharedHistograms(distributions) } : {}),
    },
  };
}

/**
 * Current and baseline histograms on the same bins, so they overlay; as percentages of each side's
 * iterations, since the baseline pools several runs and would otherwise dwarf the current one.
 */
function sharedHistograms(distributions: NonNullable<WorkloadComparison['distributions']>): { current: HistogramData; baseline: HistogramData } {
  const all = [...distributions.current, ...distributions.baseline].filter(Number.isFinite);
  if (all.length === 0) return { current: { label: 'current', edges: [], counts: [] }, baseline: { label: 'baseline', edges: [], counts: [] } };
  const min = Math.min(...all);
  const max = Math.max(...all);
  const bins = max > min ? Math.min(50, Math.max(1, Math.ceil(2 * Math.cbrt(all.length / 2)))) : 1;
  const width = max > min ? (max - min) / bins : 1;
  const shares = (values: readonly number[]): number[] => {
    const counts = new Array<number>(bins).fill(0);
    let total = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      const bin = Math.min(bins - 1, Math.floor((v - min) / width));
      counts[bin] = (counts[bin] as number) + 1;
      total += 1;
    }
    return counts.map((c) => (total > 0 ? roundSignificant((100 * c) / total) : 0));
  };
  const edges = Array.from({ length: bins + 1 }, (_, i) => roundSignificant(min + i * width, 6));
  return {
    current: { label: 'current', edges, counts: shares(distributions.current), share: true },
    baseline: { label: 'baseline', edges, counts: shares(distributions.baseline), share: true },
  };
}
