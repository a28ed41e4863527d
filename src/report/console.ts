/**
 * Plain-text console output in Rally's style (rally/cli/commands/task.py, cliutils.print_list,
 * which draws tables with prettytable): the "Response Times (sec)" table with the load/full
 * duration lines after it, the per-workload block `rally task start` prints, and the
 * `rally task sla-check` table / JSON. Values print as Python prints them (0.1, 0.0, 23.65, n/a).
 * Colours (ANSI) only when asked for.
 */
import type { SlaResult } from '../engine/types.js';
import type { IterationErrorSummary } from './iteration-errors.js';
import { formatFloatToStr, pyFloatRepr, pyJsonDumps, pyJsonDumpsInline, type PyJsonValue } from './python-format.js';
import type { DurationStatsRow, StatValue, WorkloadStatistics } from './stats.js';
import { allWorkloads, scenarioName, type TaskRunRecord, type WorkloadRunRecord } from './types.js';

export type CellColor = 'red' | 'green' | 'yellow' | 'bold' | 'dim';

/** A table cell: text (may span lines) and an optional colour used only when colours are on. */
export type Cell = string | { text: string; color?: CellColor };

export interface TableOptions {
  /** a title row above the table, centred (cliutils.make_table_header) */
  label?: string;
  /** ANSI colours for cells that ask for one */
  color?: boolean;
}

const ANSI: Record<CellColor, [string, string]> = {
  red: ['\u001b[31m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
};

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

function cellColor(cell: Cell): CellColor | undefined {
  return typeof cell === 'string' ? undefined : cell.color;
}

/** Display width in terminal columns: code points (wide East Asian characters are not special-cased). */
function displayWidth(text: string): number {
  return [...text].length;
}

function padRight(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * A left-aligned bordered table exactly as prettytable draws it for Rally (rows in the order given),
 * ending with a newline. Multi-line cells take several physical lines.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const widths = headers.map((header, column) =>
    Math.max(
      displayWidth(header),
      ...rows.map((row) => Math.max(...cellText(row[column] ?? '').split('\n').map(displayWidth))),
    ),
  );
  const border = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const physicalLines = (cells: readonly Cell[]): string[] => {
    const split = headers.map((_, column) => cellText(cells[column] ?? '').split('\n'));
    const height = Math.max(...split.map((lines) => lines.length));
    const out: string[] = [];
    for (let y = 0; y < height; y++) {
      const parts = headers.map((_, column) => {
        const padded = padRight(split[column]?.[y] ?? '', widths[column] ?? 0);
        const color = cellColor(cells[column] ?? '');
        return options.color && color ? ANSI[color][0] + padded + ANSI[color][1] : padded;
      });
      out.push('| ' + parts.join(' | ') + ' |');
    }
    return out;
  };
  const lines = [border, ...physicalLines(headers), border, ...rows.flatMap(physicalLines), border];
  let table = lines.join('\n') + '\n';
  if (options.label !== undefined) table = tableLabel(options.label, border.length) + '\n' + table;
  return table;
}

/** cliutils.make_table_header: the label centred in a box as wide as the table (odd space goes right). */
function tableLabel(label: string, tableWidth: number): string {
  const space = Math.max(0, tableWidth - displayWidth(label) - 2);
  const left = Math.floor(space / 2);
  const right = space - left;
  const width = Math.max(tableWidth, displayWidth(label) + 2);
  return `+${'-'.repeat(width - 2)}+\n|${' '.repeat(left)}${label}${' '.repeat(right)}|`;
}

// ---------------------------------------------------------------------------------------------
// Response Times (sec)

export const RESPONSE_TIME_COLUMNS = [
  'Action',
  'Min (sec)',
  'Median (sec)',
  '90%ile (sec)',
  '95%ile (sec)',
  'Max (sec)',
  'Avg (sec)',
  'Success',
  'Count',
] as const;

/** A statistics value as Python's str() prints it: "0.1", "0.0", "n/a". */
export function formatStatValue(value: StatValue): string {
  return value === 'n/a' ? value : pyFloatRepr(value);
}

/**
 * The rows of Rally's table: atomic actions (children as " -> name", " --> name", ...), then total with
 * " -> duration" and " -> idle_duration".
 */
export function responseTimeRows(statistics: WorkloadStatistics, color = false): Cell[][] {
  const rows: Cell[][] = [];
  const visit = (row: DurationStatsRow, depth: number): void => {
    const name = depth > 0 ? ` ${'-'.repeat(depth)}> ${row.display_name}` : row.display_name;
    const d = row.data;
    const success: Cell =
      color && d.success !== 'n/a' && d.success !== '100.0%' ? { text: d.success, color: 'red' } : d.success;
    rows.push([
      name,
      formatStatValue(d.min),
      formatStatValue(d.median),
      formatStatValue(d['90%ile']),
      formatStatValue(d['95%ile']),
      formatStatValue(d.max),
      formatStatValue(d.avg),
      success,
      String(d.iteration_count),
    ]);
    for (const child of row.children) visit(child, depth + 1);
  };
  for (const row of [...statistics.durations.atomics, statistics.durations.total]) visit(row, 0);
  return rows;
}

/** Rally's "Response Times (sec)" table (ends with a newline). */
export function formatResponseTimes(statistics: WorkloadStatistics, options: { color?: boolean } = {}): string {
  return renderTable(RESPONSE_TIME_COLUMNS, responseTimeRows(statistics, options.color), {
    label: 'Response Times (sec)',
    color: options.color,
  });
}

/** The lines Rally prints under the table: "Load duration: 1.021059" / "Full duration: 1.055745". */
export function formatDurations(workload: WorkloadRunRecord): string {
  return (
    `Load duration: ${formatFloatToStr(workload.summary.loadDuration)}\n` +
    `Full duration: ${formatFloatToStr(workload.summary.fullDuration)}\n`
  );
}

/** rally-gate's extra line: how many iterations ran and failed. */
export function formatIterationCounts(workload: WorkloadRunRecord): string {
  return `Iterations: ${workload.summary.totalIterationCount}, failed: ${workload.summary.failedIterationCount}\n`;
}

// ---------------------------------------------------------------------------------------------
// The per-workload block of `rally task start` / `rally task detailed`

const RULE = '-'.repeat(80);

function header(text: string): string {
  return `${RULE}\n${text}\n${RULE}\n`;
}

export interface WorkloadConsoleOptions {
  /** the task uuid, named in the error count header */
  taskUuid: string;
  /** iteration errors grouped by type and message (Rally prints every traceback instead) */
  errors?: IterationErrorSummary;
  /** add "Iterations: N, failed: M" after the duration lines (not Rally's; default true) */
  showIterationCounts?: boolean;
  color?: boolean;
}

/** The block Rally prints for one workload after a run: scenario, args, errors, table, durations. */
export function formatWorkloadConsole(workload: WorkloadRunRecord, options: WorkloadConsoleOptions): string {
  const { config, summary } = workload;
  const name = scenarioName(config);
  const runnerConfig = Object.values(config.runner)[0] ?? {};
  const argsValues = {
    args: (config.scenario[name] ?? {}) as PyJsonValue,
    runner: runnerConfig as PyJsonValue,
    contexts: config.contexts as PyJsonValue,
    sla: config.sla as PyJsonValue,
    hooks: config.hooks as unknown as PyJsonValue,
  };
  let out = `${RULE}\n\ntest scenario ${name}\nargs position ${summary.position}\nargs values:\n`;
  out += pyJsonDumps(argsValues, 2) + '\n\n';
  out += header(`Task ${options.taskUuid} has ${summary.failedIterationCount} error(s)`) + '\n';
  for (const group of options.errors?.groups ?? []) {
    out += `${group.count} x ${group.type}: ${group.message}\n${RULE}\n`;
  }
  if (options.errors && options.errors.otherCount > 0) out += `${options.errors.otherCount} x (other errors)\n${RULE}\n`;
  out += formatResponseTimes(workload.statistics, { color: options.color }) + '\n';
  out += formatDurations(workload);
  if (options.showIterationCounts ?? true) out += formatIterationCounts(workload);
  return out;
}

export interface TaskConsoleOptions {
  /** iteration errors per workload uuid */
  errors?: ReadonlyMap<string, IterationErrorSummary>;
  showIterationCounts?: boolean;
  color?: boolean;
}

/** What `rally task start` prints once the task is over: status header, every workload, the SLA verdict line. */
export function formatTaskConsole(run: TaskRunRecord, options: TaskConsoleOptions = {}): string {
  // Each workload block opens with a rule, which also closes this status header (as in Rally).
  let out = `\n${RULE}\nTask ${run.uuid}: ${run.status}\n`;
  for (const { workload } of allWorkloads(run)) {
    out += formatWorkloadConsole(workload, {
      taskUuid: run.uuid,
      errors: options.errors?.get(workload.summary.uuid),
      showIterationCounts: options.showIterationCounts,
      color: options.color,
    });
  }
  if (!run.passSla) {
    const line = 'At least one workload did not pass SLA criteria.';
    out += '\n' + (options.color ? ANSI.red[0] + line + ANSI.red[1] : line) + '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// rally task sla-check

/** One row of `rally task sla-check --json`, keys in Rally's order. */
export interface SlaCheckRow {
  criterion: string;
  detail: string;
  status: 'PASS' | 'FAIL';
  benchmark: string;
  pos: number;
}

/** Rally's sla-check rows: workloads in task order, criteria sorted by name within each. */
export function slaCheckRows(run: TaskRunRecord): SlaCheckRow[] {
  const rows: SlaCheckRow[] = [];
  for (const { workload } of allWorkloads(run)) {
    const sorted = [...workload.summary.slaResults].sort((a: SlaResult, b: SlaResult) =>
      compareStrings(a.criterion, b.criterion),
    );
    for (const result of sorted) {
      rows.push({
        criterion: result.criterion,
        detail: result.detail,
        status: result.success ? 'PASS' : 'FAIL',
        benchmark: scenarioName(workload.config),
        pos: workload.summary.position,
      });
    }
  }
  return rows;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `rally task sla-check --json` output (one line, Python's json.dumps). */
export function formatSlaCheckJson(run: TaskRunRecord): string {
  return pyJsonDumpsInline(slaCheckRows(run) as unknown as PyJsonValue) + '\n';
}

/**
 * `rally task sla-check` table. prettytable sorts the rows by the whole row starting with the benchmark
 * column (so ties fall to pos, then criterion), which is what this does too.
 */
export function formatSlaCheckTable(run: TaskRunRecord, options: { color?: boolean } = {}): string {
  const rows = slaCheckRows(run).sort(
    (a, b) =>
      compareStrings(a.benchmark, b.benchmark) ||
      a.pos - b.pos ||
      compareStrings(a.criterion, b.criterion) ||
      compareStrings(a.status, b.status) ||
      compareStrings(a.detail, b.detail),
  );
  return renderTable(
    ['benchmark', 'pos', 'criterion', 'status', 'detail'],
    rows.map((r) => [
      r.benchmark,
      String(r.pos),
      r.criterion,
      { text: r.status, color: r.status === 'PASS' ? 'green' : 'red' },
      r.detail,
    ]),
    { color: options.color },
  );
}

/** Number of failed criteria: Rally's sla-check exit code (which is 2 when there are no results at all). */
export function countFailedCriteria(run: TaskRunRecord): number {
  return slaCheckRows(run).filter((r) => r.status === 'FAIL').length;
}

/**
 * rally-gate's end-of-run SLA summary: like sla-check's table, but in task order and with each
 * workload's place (subtask index and position), so two workloads of one scenario are told apart.
 */
export function formatSlaSummary(run: TaskRunRecord, options: { color?: boolean } = {}): string {
  const rows: Cell[][] = [];
  for (const { workload, subtaskIndex } of allWorkloads(run)) {
    const sorted = [...workload.summary.slaResults].sort((a, b) => compareStrings(a.criterion, b.criterion));
    for (const result of sorted) {
      rows.push([
        `${subtaskIndex}.${workload.summary.position}`,
        scenarioName(workload.config),
        result.criterion,
        { text: result.success ? 'PASS' : 'FAIL', color: result.success ? 'green' : 'red' },
        result.detail,
      ]);
    }
  }
  return renderTable(['workload', 'scenario', 'criterion', 'status', 'detail'], rows, { color: options.color });
}
