/**
 * The whole page from records: Rally's reference report (hooks, outputs, failures), a run record
 * whose iterations sit in NDJSON files, a hostile record, and the baseline comparison slot.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, writeHtmlReport, type HtmlComparison } from '../../../../src/report/html/index.js';
import { readRallyJson } from '../../../../src/report/rally-json.js';
import type { LoadedTaskRecord } from '../../../../src/report/types.js';
import { REFERENCE, toRunRecord } from '../helpers.js';

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** Puts hostile markup in every string a task, plugin or scenario can control. */
function hostile(task: LoadedTaskRecord): LoadedTaskRecord {
  const copy = structuredClone(task);
  copy.title = HOSTILE;
  copy.description = HOSTILE;
  for (const subtask of copy.subtasks) {
    subtask.config.title = HOSTILE;
    for (const workload of subtask.workloads) {
      const [name] = Object.keys(workload.config.scenario);
      workload.config.scenario = { [`${name}${HOSTILE}`]: workload.config.scenario[name!]! };
      workload.description = HOSTILE;
      workload.summary.slaResults = workload.summary.slaResults.map((r) => ({ ...r, criterion: HOSTILE, detail: HOSTILE }));
      for (const it of workload.iterations) {
        if (it.error.length > 0) it.error = [HOSTILE, HOSTILE, HOSTILE];
        for (const chart of [...it.output.additive, ...it.output.complete]) {
          chart.title = HOSTILE;
          chart.description = HOSTILE;
        }
        it.output.complete.push({ title: HOSTILE, chart_plugin: 'TextArea', data: [HOSTILE] });
        it.output.complete.push({ title: HOSTILE, chart_plugin: 'Table', data: { cols: [HOSTILE], rows: [[HOSTILE]] } });
        it.output.additive.push({ title: HOSTILE, chart_plugin: 'Lines', data: [[HOSTILE, 1]] });
        for (const action of it.atomic_actions) action.name = HOSTILE;
      }
      for (const row of workload.statistics.durations.atomics) row.display_name = HOSTILE;
      for (const hook of workload.summary.hooks) {
        for (const result of hook.results) {
          result.error = { etype: HOSTILE, msg: HOSTILE, details: HOSTILE };
          for (const chart of result.output?.complete ?? []) chart.data = [HOSTILE];
        }
      }
    }
  }
  return copy;
}

let reference: LoadedTaskRecord;
beforeAll(async () => {
  reference = (await readRallyJson(`${REFERENCE}/results/f-all-features.report.json`)).tasks[0]!;
});

describe('renderHtmlReport', () => {
  it('shows the overview, every workload and its sections', async () => {
    const html = await renderHtmlReport(reference);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('data-verdict="fail"');
    for (const name of ['Dummy.dummy_random_fail_in_atomic', 'Dummy.dummy_output', 'Dummy.dummy', 'Dummy.dummy_random_action']) {
      expect(html).toContain(`data-scenario="${name}"`);
    }
    for (const heading of ['Service-level agreement', 'Statistics', 'Durations per iteration', 'Load profile', 'Distribution of durations', 'Failures', 'Hooks', 'Scenario output', 'Hook output', 'Contexts', 'Configuration']) {
      expect(html).toContain(heading);
    }
    expect(html).toContain('performance_degradation');
    expect(html).toContain('KeyError');
    expect(html).toContain('hello-from-hook');
  });

  it('is self-contained: no external script, stylesheet or image', async () => {
    const html = await renderHtmlReport(reference);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya)[^"' )]*\.(js|css|png|svg)/i);
    expect(html).toContain('uPlot');
  });

  it('escapes every input string: no markup from the record reaches the page', async () => {
    const html = await renderHtmlReport(hostile(reference));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // the embedded chart data is JSON that cannot end its <script> element
    const data = html.match(/<script id="report-data" type="application\/json">([^]*?)<\/script>/)![1]!;
    expect(data).not.toContain('<');
    const parsed = JSON.parse(data) as { workloads: Array<{ outputs: Array<{ title: string }> }> };
    expect(parsed.workloads[0]!.outputs.some((chart) => chart.title === HOSTILE)).toBe(true);
  });

  it('reads the iterations of a run record from its NDJSON files, in timestamp order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'html-report-'));
    const run = toRunRecord(reference, dir, 'f');
    const file = join(dir, 'report.html');
    await writeHtmlReport(run, file, { generatedAt: new Date('2026-01-01T00:00:00Z') });
    const fromRun = readFileSync(file, 'utf8');
    const fromJson = await renderHtmlReport(reference, { generatedAt: new Date('2026-01-01T00:00:00Z') });
    expect(fromRun).toBe(fromJson);
  });

  it('leaves the baseline comparison out unless one is given', async () => {
    const without = await renderHtmlReport(reference);
    expect(without).not.toContain('data-section="baseline-comparison"');
    expect(without).toContain('<!-- baseline comparison');

    const comparison: HtmlComparison = {
      baselineLabel: 'main@abc1234, 5 runs',
      verdict: 'fail',
      workloads: [{
        subtaskIndex: 2,
        position: 0,
        metrics: [
          { name: 'total', statistic: 'median', current: 0.0124, baseline: 0.01, change: 0.24, interval: [0.18, 0.31], verdict: 'regression', note: `threshold +10 % ${HOSTILE}` },
          { name: 'total', statistic: '95%ile', current: 0.02, baseline: 0.0201, change: -0.005, verdict: 'unchanged' },
        ],
        distributions: { current: [0.01, 0.012, 0.013], baseline: [0.009, 0.01, 0.011] },
      }],
    };
    const html = await renderHtmlReport(reference, { comparison });
    expect(html.match(/data-section="baseline-comparison"/g)).toHaveLength(1);
    expect(html).toContain('main@abc1234, 5 runs');
    expect(html).toContain('+24.0 %');
    expect(html).toContain('+18.0 % … +31.0 %');
    expect(html).toContain('data-chart="comparison"');
    expect(html).not.toContain('<img src=x');
    const data = JSON.parse(html.match(/<script id="report-data" type="application\/json">([^]*?)<\/script>/)![1]!);
    const compared = data.workloads.filter((w: { comparison?: unknown }) => w.comparison);
    expect(compared).toHaveLength(1);
    expect(compared[0].comparison.current.edges).toEqual(compared[0].comparison.baseline.edges);
  });

  it('keeps a 10 000-iteration workload small: series downsampled to the limit', async () => {
    const big = structuredClone(reference);
    const workload = big.subtasks[2]!.workloads[0]!;
    const template = workload.iterations[0]!;
    workload.iterations = Array.from({ length: 10_000 }, (_, i) => ({ ...template, timestamp: template.timestamp + i * 0.01, duration: 0.001 + (i % 97) / 10_000 }));
    const html = await renderHtmlReport(big, { maxSeriesPoints: 1000 });
    const data = JSON.parse(html.match(/<script id="report-data" type="application\/json">([^]*?)<\/script>/)![1]!);
    const w = data.workloads[2];
    expect(w.durations.x.length).toBeLessThanOrEqual(1000);
    expect(w.atomicsStacked.x.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...w.durations.series[0].values)).toBeCloseTo(0.001 + 96 / 10_000, 6);
  });
});
