/**
 * Custom scenario and hook output (Rally's output charts, rally/task/processing/charts.py):
 * additive charts are aggregated over iterations (StatsTable -> statistics per name, Lines and
 * StackedArea -> one point per iteration, Pie -> mean per name), complete charts are shown as they
 * are. Everything here comes from plugins, so every value is coerced to the type we draw.
 */
import type { Chart, IterationOutput } from '../../engine/types.js';
import { pyRound } from '../python-format.js';
import { percentile } from '../stats.js';
import { downsampleMinMax } from './downsample.js';
import type { OutputChartData } from './types.js';

const STATS_TABLE_COLUMNS = ['Action', 'Min (sec)', 'Median (sec)', '90%ile (sec)', '95%ile (sec)', 'Max (sec)', 'Avg (sec)', 'Count'];

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function numberOrNull(value: unknown): number | null {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** [[name, value], ...] pairs of additive data; anything else is skipped. */
function namedValues(data: unknown): Array<[string, number | null]> {
  if (!Array.isArray(data)) return [];
  return data
    .filter((row): row is unknown[] => Array.isArray(row) && row.length >= 2)
    .map((row) => [text(row[0]), numberOrNull(row[1])]);
}

function cell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** One additive chart slot (Rally groups additive charts by their position in the output list). */
class AdditiveChart {
  private readonly perName = new Map<string, Array<number | null>>();
  private contributions = 0;

  constructor(private readonly first: Chart) {}

  add(data: unknown): void {
    this.contributions += 1;
    for (const [name, value] of namedValues(data)) {
      let values = this.perName.get(name);
      if (!values) {
        values = [];
        this.perName.set(name, values);
      }
      // Pad names missing from earlier iterations so every series stays aligned on the iteration axis.
      while (values.length < this.contributions - 1) values.push(null);
      values.push(value);
    }
  }

  render(maxPoints: number): OutputChartData {
    const title = text(this.first.title);
    const description = text(this.first.description);
    const plugin = this.first.chart_plugin;
    if (plugin === 'StatsTable') {
      const rows = [...this.perName].map(([name, values]) => {
        const points = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
        const stat = (v: number | null): number | string => (v === null ? 'n/a' : pyRound(v, 3));
        const sum = points.reduce((a, b) => a + b, 0);
        return [
          name,
          stat(points[0] ?? null),
          stat(percentile(points, 0.5)),
          stat(percentile(points, 0.9)),
          stat(percentile(points, 0.95)),
          stat(points[points.length - 1] ?? null),
          stat(points.length ? sum / points.length : null),
          points.length,
        ];
      });
      return { kind: 'table', title, description, cols: STATS_TABLE_COLUMNS, rows };
    }
    if (plugin === 'Pie') {
      const rows = [...this.perName].map(([name, values]): [string, number] => {
        const sum = values.reduce<number>((a, b) => a + (b ?? 0), 0);
        return [name, pyRound(sum / Math.max(1, values.length), 3)];
      });
      return { kind: 'bars', title, description, rows };
    }
    if (plugin === 'Lines' || plugin === 'StackedArea') {
      // Rally shows a single iteration's additive lines as a Name/Value table.
      if (this.contributions === 1) {
        const rows = [...this.perName].map(([name, values]) => [name, values[0] ?? null]);
        return { kind: 'table', title, description, cols: ['Name', text(this.first.label) || 'Value'], rows };
      }
      const x = Array.from({ length: this.contributions }, (_, i) => i + 1);
      const series = [...this.perName].map(([label, values]) => ({ label, values }));
      return {
        kind: plugin === 'Lines' ? 'lines' : 'stacked',
        title,
        description,
        label: text(this.first.label),
        axisLabel: text(this.first.axis_label) || 'Iteration sequence number',
        columns: downsampleMinMax(x, series, maxPoints),
      };
    }
    // Table and TextArea cannot be additive in Rally; show the first iteration's data as it is.
    return renderCompleteChart(this.first, maxPoints);
  }
}

/** A complete chart drawn as given. */
export function renderCompleteChart(chart: Chart, maxPoints: number): OutputChartData {
  const title = text(chart.title);
  const description = text(chart.description);
  const data = chart.data as unknown;
  switch (chart.chart_plugin) {
    case 'Lines':
    case 'StackedArea': {
      // [[name, [[x, y], ...]], ...]: align every series on the union of their x values.
      const named = Array.isArray(data) ? data.filter((s): s is unknown[] => Array.isArray(s) && s.length >= 2) : [];
      const byName = named.map((s) => {
        const points = new Map<number, number | null>();
        for (const p of Array.isArray(s[1]) ? s[1] : []) {
          if (!Array.isArray(p)) continue;
          const x = numberOrNull(p[0]);
          if (x !== null) points.set(x, numberOrNull(p[1]));
        }
        return { label: text(s[0]), points };
      });
      const xs = [...new Set(byName.flatMap((s) => [...s.points.keys()]))].sort((a, b) => a - b);
      const series = byName.map((s) => ({ label: s.label, values: xs.map((x) => s.points.get(x) ?? null) }));
      return {
        kind: chart.chart_plugin === 'Lines' ? 'lines' : 'stacked',
        title,
        description,
        label: text(chart.label),
        axisLabel: text(chart.axis_label),
        columns: downsampleMinMax(xs, series, maxPoints),
      };
    }
    case 'Pie':
      return { kind: 'bars', title, description, rows: namedValues(data).map(([n, v]) => [n, v ?? 0]) };
    case 'TextArea': {
      const lines = Array.isArray(data) ? data.map(text) : [text(data)];
      return { kind: 'text', title, description, lines };
    }
    default: {
      // Table, StatsTable (complete) and unknown plugins: {cols, rows}.
      const table = (data ?? {}) as { cols?: unknown; rows?: unknown };
      const cols = Array.isArray(table.cols) ? table.cols.map(text) : [];
      const rows = Array.isArray(table.rows) ? table.rows.map((r) => (Array.isArray(r) ? r.map(cell) : [cell(r)])) : [];
      return { kind: 'table', title, description, cols, rows };
    }
  }
}

/**
 * Collects the outputs of iterations (or hook runs) in order: additive charts aggregated,
 * complete charts of the first `maxCompleteSources` sources (iterations, hook runs) that have any.
 */
export class OutputCollector {
  private readonly additive: AdditiveChart[] = [];
  private readonly complete: Array<{ source: number; chart: Chart }> = [];
  private completeSources = 0;
  /** sources with complete output that were not kept */
  skippedCompleteSources = 0;

  constructor(private readonly maxCompleteSources = 10) {}

  add(output: Partial<IterationOutput> | undefined, sourceNumber: number): void {
    if (!output) return;
    const additive = Array.isArray(output.additive) ? output.additive : [];
    for (const [i, chart] of additive.entries()) {
      if (!chart || typeof chart !== 'object') continue;
      (this.additive[i] ??= new AdditiveChart(chart)).add(chart.data);
    }
    const complete = Array.isArray(output.complete) ? output.complete : [];
    if (complete.length === 0) return;
    if (this.completeSources >= this.maxCompleteSources) {
      this.skippedCompleteSources += 1;
      return;
    }
    this.completeSources += 1;
    for (const chart of complete) if (chart && typeof chart === 'object') this.complete.push({ source: sourceNumber, chart });
  }

  render(maxPoints: number): OutputChartData[] {
    const additive = this.additive.map((chart) => chart.render(maxPoints));
    const complete = this.complete.map(({ source, chart }) => {
      const rendered = renderCompleteChart(chart, maxPoints);
      return { ...rendered, source };
    });
    return [...additive, ...complete];
  }
}
