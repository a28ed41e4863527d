/**
 * JUnit XML for CI, built with junit-report-builder. Deterministic: the same record gives the same bytes.
 *
 * Layout (Rally's junit-xml exporter, extended with one testcase per SLA criterion):
 *   <testsuite name="<task title or uuid>" timestamp="<task created_at>" time="<updated - created, whole s>">
 *     properties: task_uuid, env_name, status, pass_sla
 *     per workload, in run order:
 *       <testcase classname="Dummy" name="dummy" time="<full_duration>">      like Rally
 *         <failure> when the workload failed its SLA: message = the failed criteria,
 *                   text = Rally's failed details joined by "\n" (exactly Rally's failure text)
 *         <system-out> iteration counts, durations and the iteration errors grouped by type/message
 *       <testcase classname="Dummy.dummy" name="Dummy.dummy[0].sla.failure_rate" time="0">   per criterion
 *         <failure> when the criterion failed: message = detail on one line, text = detail
 * "[0]" is the workload position inside its subtask (Rally's "pos"); when the same scenario and
 * position occur in several subtasks it becomes "[<subtask index>:<pos>]" to stay unique.
 * Iteration errors are never JUnit errors (errors="0"), as in Rally: only the SLA decides.
 */
import { writeFile } from 'node:fs/promises';
import junitReportBuilder, { type Builder, type TestCase, type TestSuite } from 'junit-report-builder';
import { summarizeIterationErrorsFromFile, type IterationErrorSummary } from './iteration-errors.js';
import { formatFloatToStr, pyFixed } from './python-format.js';
import {
  allWorkloads,
  rallyTimestamp,
  scenarioName,
  timestampSeconds,
  type TaskRunRecord,
  type WorkloadRunRecord,
} from './types.js';

// The package's CommonJS module.exports *is* the builder; TypeScript's NodeNext view puts it under `default`.
const rootBuilder = ((junitReportBuilder as unknown as { default?: Builder }).default ??
  junitReportBuilder) as unknown as Builder;

/** Rally splits "Dummy.dummy" into classname "Dummy" and name "dummy" (at the first dot). */
export function junitClassAndName(scenario: string): { classname: string; name: string } {
  const dot = scenario.indexOf('.');
  return dot < 0 ? { classname: scenario, name: scenario } : { classname: scenario.slice(0, dot), name: scenario.slice(dot + 1) };
}

/**
 * Characters XML 1.0 cannot carry at all (control characters such as ANSI colour escapes in an error
 * message, lone surrogates) written out as "\\xNN" / "\\uNNNN" text; the builder would emit them raw.
 */
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlSafe(text: string): string {
  return text.replace(XML_ILLEGAL, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Seconds rounded like Rally's "%.2f". */
function seconds(value: number): number {
  return Number(pyFixed(value, 2));
}

function workloadOutput(workload: WorkloadRunRecord, errors: IterationErrorSummary | undefined): string {
  const { summary } = workload;
  const total = summary.totalIterationCount;
  const failed = summary.failedIterationCount;
  const share = total > 0 ? `${pyFixed((failed * 100) / total, 1)}%` : 'n/a';
  const lines = [
    `Iterations: ${total}, failed: ${failed} (${share})`,
    `Load duration: ${formatFloatToStr(summary.loadDuration)}`,
    `Full duration: ${formatFloatToStr(summary.fullDuration)}`,
  ];
  if (errors && (errors.groups.length > 0 || errors.otherCount > 0)) {
    lines.push('Iteration errors:');
    for (const g of errors.groups) lines.push(`  ${g.count} x ${g.type}: ${g.message}`);
    if (errors.otherCount > 0) lines.push(`  ${errors.otherCount} x (other errors)`);
  }
  return lines.join('\n');
}

/** How often each "scenario[pos]" occurs in a task (more than once: several subtasks run it). */
function labelCounts(run: TaskRunRecord): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { workload } of allWorkloads(run)) {
    const key = `${scenarioName(workload.config)}[${workload.summary.position}]`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** "Dummy.dummy[0]", or "Dummy.dummy[<subtask>:0]" when that would not be unique in the task. */
function workloadLabel(workload: WorkloadRunRecord, subtaskIndex: number, counts: ReadonlyMap<string, number>): string {
  const scenario = scenarioName(workload.config);
  const key = `${scenario}[${workload.summary.position}]`;
  return (counts.get(key) ?? 0) > 1 ? `${scenario}[${subtaskIndex}:${workload.summary.position}]` : key;
}

function addWorkloadCases(
  suite: TestSuite,
  workload: WorkloadRunRecord,
  label: string,
  errors: IterationErrorSummary | undefined,
): void {
  const scenario = scenarioName(workload.config);
  const { classname, name } = junitClassAndName(scenario);
  const results = workload.summary.slaResults;
  const workloadCase: TestCase = suite
    .testCase()
    .className(xmlSafe(classname))
    .name(xmlSafe(name))
    .time(seconds(workload.summary.fullDuration))
    .property('workload_uuid', xmlSafe(workload.summary.uuid))
    .standardOutput(xmlSafe(workloadOutput(workload, errors)));
  const failedResults = results.filter((r) => !r.success);
  if (!workload.summary.passSla) {
    const failedNames = failedResults.map((r) => r.criterion).join(', ') || 'unknown criterion';
    workloadCase
      .failure(xmlSafe(`SLA failed: ${failedNames}`), 'sla')
      .stacktrace(xmlSafe(failedResults.map((r) => r.detail).join('\n')));
  }
  for (const result of results) {
    const criterionCase = suite
      .testCase()
      .className(xmlSafe(scenario))
      .name(xmlSafe(`${label}.sla.${result.criterion}`))
      .time(0);
    if (!result.success) {
      criterionCase.failure(xmlSafe(result.detail.replace(/\n/g, ' ')), 'sla').stacktrace(xmlSafe(result.detail));
    }
  }
}

export interface JUnitOptions {
  /**
   * Iteration errors per workload uuid. When left out they are read from each workload's NDJSON file;
   * pass an empty map to leave them out of the report.
   */
  iterationErrors?: ReadonlyMap<string, IterationErrorSummary>;
}

/** The JUnit XML text of one or more tasks (one <testsuite> each). */
export async function renderJUnit(runs: TaskRunRecord | readonly TaskRunRecord[], options: JUnitOptions = {}): Promise<string> {
  const tasks = Array.isArray(runs) ? (runs as readonly TaskRunRecord[]) : [runs as TaskRunRecord];
  const builder = rootBuilder.newBuilder();
  for (const run of tasks) {
    const createdAt = rallyTimestamp(run.createdAt);
    const updatedAt = rallyTimestamp(run.updatedAt);
    const suite = builder
      .testSuite()
      .name(xmlSafe(run.title || run.uuid))
      .timestamp(createdAt)
      .time(Math.max(0, timestampSeconds(updatedAt) - timestampSeconds(createdAt)))
      .property('task_uuid', xmlSafe(run.uuid))
      .property('env_name', xmlSafe(run.envName))
      .property('status', run.status)
      .property('pass_sla', String(run.passSla));
    const counts = labelCounts(run);
    for (const { workload, subtaskIndex } of allWorkloads(run)) {
      const errors = options.iterationErrors
        ? options.iterationErrors.get(workload.summary.uuid)
        : workload.summary.failedIterationCount > 0
          ? await summarizeIterationErrorsFromFile(workload.summary.iterationsFile)
          : undefined;
      addWorkloadCases(suite, workload, workloadLabel(workload, subtaskIndex, counts), errors);
    }
  }
  return builder.build();
}

/** Write the JUnit XML of one or more tasks to `file`. */
export async function writeJUnit(
  runs: TaskRunRecord | readonly TaskRunRecord[],
  file: string,
  options: JUnitOptions = {},
): Promise<void> {
  await writeFile(file, await renderJUnit(runs, options));
}
