import { describe, expect, it } from 'vitest';
import { compactDurations } from '../../../../src/baseline/summarize.js';
import { BASELINE_FORMAT, type BaselineRun, type WorkloadBaseline } from '../../../../src/baseline/types.js';
import { defaultSettings } from '../../../../src/gate/settings.js';
import { seededRandom } from '../../../../src/gate/stats.js';
import { renderTrendsPage, trendColumns } from '../../../../src/report/html/trends.js';
import { judge } from '../../../../src/gate/compare.js';
import { buildTrends, filterRuns, mayBeFlagged, sortRuns, type TrendSeries } from '../../../../src/report/trends/data.js';
import { openBaselineStore } from '../../../../src/report/trends/index.js';

const random = seededRandom(11);
const noisy = (n: number, median: number): number[] =>
  Array.from({ length: n }, () => median * Math.exp(0.05 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));

function workload(hash: string, scenario: string, total: number, actions: Record<string, number>, failures = 0, subtask = 'sub'): WorkloadBaseline {
  return {
    hash,
    task: 'rally-jobs/t.yaml',
    subtask,
    scenario,
    position: 0,
    total: { count: 30, failures, durations: compactDurations(noisy(30 - failures, total)) },
    actions: Object.fromEntries(Object.entries(actions).map(([name, m]) => [name, { count: 30, failures: 0, durations: compactDurations(noisy(30, m)) }])),
    sla: [],
    passSla: failures === 0,
  };
}

function run(i: number, workloads: WorkloadBaseline[], fingerprint = 'fp-a', branch = 'main'): BaselineRun {
  const time = new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
  return { format: BASELINE_FORMAT, id: `r${String(i).padStart(2, '0')}`, commit: `c${i}`.padEnd(40, '0'), branch, time, fingerprint, workloads };
}

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
// 8 runs of A (its action "nova.boot" 50% slower from run 6 on) and B (twice per run); C only in the last run.
const history: BaselineRun[] = Array.from({ length: 8 }, (_, i) =>
  run(i, [
    workload(A, 'Nova.boot', i >= 5 ? 0.25 : 0.2, { 'nova.boot': i >= 5 ? 0.15 : 0.1, 'nova.delete': 0.1 }),
    workload(B, 'Dummy.dummy', 0.05, {}, i === 7 ? 3 : 0),
    workload(B, 'Dummy.dummy', 0.05, {}),
    ...(i === 7 ? [workload(C, 'Dummy.new', 0.3, { x: 0.1 })] : []),
  ]),
).reverse(); // input order does not matter

describe('buildTrends', () => {
  const data = buildTrends(history, { settings: defaultSettings('gate.yaml'), window: 3, replicates: 300 });

  it('groups by workload hash (a repeat of one config is its own trend), total first', () => {
    expect(data.runs.map((r) => r.id)).toEqual(['r00', 'r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07']);
    expect(data.workloads.map((w) => w.key)).toEqual([A, B, `${B}#2`, C]);
    expect(data.workloads[0]!.series.map((s) => s.name)).toEqual(['total', 'nova.boot', 'nova.delete']);
    expect(data.workloads[3]!.series[0]!.points.map((p) => p.run)).toEqual([7]);
  });

  it('gives median, 90%ile, 95%ile and success per run', () => {
    const total = data.workloads[0]!.series[0]!;
    expect(total.points).toHaveLength(8);
    for (const p of total.points) {
      expect(p.min!).toBeLessThanOrEqual(p.median!);
      expect(p.median!).toBeLessThanOrEqual(p.p90!);
      expect(p.p90!).toBeLessThanOrEqual(p.p95!);
      expect(p.p95!).toBeLessThanOrEqual(p.max!);
      expect(p.success).toBe(100);
    }
    expect(data.workloads[1]!.series[0]!.points[7]!.success).toBe(90);
  });

  it('marks the regression where it happened (judged against the runs before), and new failures', () => {
    const boot = data.workloads[0]!.series[1]!;
    expect(boot.changes.map((c) => [c.run, c.kind])).toEqual([[5, 'regression']]);
    expect(boot.changes[0]!.change).toBeGreaterThan(0.35);
    expect(boot.changes[0]!.baselineRuns).toBe(3);
    expect(data.workloads[0]!.series[2]!.changes).toEqual([]);
    expect(data.workloads[1]!.series[0]!.changes.map((c) => [c.run, c.kind])).toEqual([[7, 'new-failures']]);
  });

  it('judges only against runs of the same cloud', () => {
    const other = history.map((r) => (r.id === 'r05' ? { ...r, fingerprint: 'fp-b' } : r));
    const d = buildTrends(other, { settings: defaultSettings('gate.yaml'), window: 3, replicates: 300 });
    expect(d.workloads[0]!.series[1]!.changes.map((c) => c.run)).toEqual([6]); // r05 had no earlier run on fp-b
  });

  it('shows the newest N runs, judging the first of them against older ones', () => {
    const d = buildTrends(history, { settings: defaultSettings('gate.yaml'), window: 3, replicates: 300, show: 3 });
    expect(d.runs.map((r) => r.id)).toEqual(['r05', 'r06', 'r07']);
    expect(d.workloads[0]!.series[1]!.changes.map((c) => [c.run, c.kind])).toEqual([[0, 'regression']]);
  });
});

describe('mayBeFlagged', () => {
  it('never skips a run that judge() flags (so skipping the bootstrap changes no mark)', () => {
    const settings = defaultSettings('gate.yaml');
    // medians drifting by 0..30% around the threshold, plus the fixture's history
    const drifting = Array.from({ length: 12 }, (_, i) => run(i, [workload(A, 'Nova.boot', 0.2 * (1 + 0.03 * ((i * 7) % 11)), { 'nova.boot': 0.1 * (1 + 0.05 * ((i * 5) % 7)) })]));
    let skipped = 0;
    for (const runs of [sortRuns(history), drifting]) {
      for (let i = 1; i < runs.length; i++) {
        const earlier = runs.slice(Math.max(0, i - 3), i);
        const j = judge(runs[i]!, earlier, settings, { replicates: 300 });
        const flagged = j.comparisons.some((c) => c.kind === 'regression' || c.kind === 'improvement') || j.failureChanges.length > 0;
        const candidate = mayBeFlagged(runs[i]!, earlier, settings);
        if (flagged) expect(candidate).toBe(true);
        if (!candidate) skipped += 1;
      }
    }
    expect(skipped).toBeGreaterThan(3); // and it does skip the quiet runs
  });
});

describe('filterRuns', () => {
  it('filters by branch and fingerprint (prefix), keeps the newest N, oldest first', () => {
    const runs = [run(3, [], 'fp-aaaaaaaa1'), run(1, [], 'fp-aaaaaaaa1'), run(2, [], 'fp-bbbbbbbb', 'main'), run(4, [], 'fp-aaaaaaaa1', 'feature')];
    expect(filterRuns(runs, { branch: 'main' }).map((r) => r.id)).toEqual(['r01', 'r02', 'r03']);
    expect(filterRuns(runs, { fingerprint: 'fp-aaaaa' }).map((r) => r.id)).toEqual(['r01', 'r03', 'r04']);
    expect(filterRuns(runs, { fingerprint: 'fp-a' })).toEqual([]); // short prefixes are not guesses
    expect(filterRuns(runs, { last: 2 }).map((r) => r.id)).toEqual(['r03', 'r04']);
  });
});

describe('trendColumns', () => {
  it('downsamples long histories keeping the extremes and the marks', () => {
    const points = Array.from({ length: 5000 }, (_, i) => ({ run: i, min: 0.1, median: i === 1234 ? 9 : i === 4321 ? 0.001 : 0.1, p90: 0.2, p95: 0.3, max: 1, count: 10, failures: 0, success: 100 }));
    const series: TrendSeries = { name: 'total', points, changes: [{ run: 1234, kind: 'regression', change: 89, baselineRuns: 5 }] };
    const columns = trendColumns(series, 1000);
    expect(columns.x.length).toBeLessThanOrEqual(1000);
    const median = columns.series.find((s) => s.label === 'median')!.values;
    expect(Math.max(...(median as number[]))).toBe(9);
    expect(Math.min(...(median as number[]))).toBe(0.001);
    expect(columns.series.find((s) => s.label === 'regression')!.values.filter((v) => v !== null)).toEqual([9]);
  });
});

describe('renderTrendsPage', () => {
  it('charts workloads with several runs, a table for a single run, escapes input', () => {
    const hostile = history.map((r) => ({ ...r, branch: '<img src=x onerror=alert(1)>', workloads: r.workloads.map((w) => ({ ...w, subtask: '</script><b>x</b>' })) }));
    const data = buildTrends(hostile, { settings: defaultSettings('gate.yaml'), window: 3, replicates: 300 });
    const html = renderTrendsPage(data, { generatedAt: new Date('2026-02-01T00:00:00Z'), source: 'directory <store>' });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('directory &lt;store&gt;');
    expect(html.match(/data-chart="trend"/g)).toHaveLength(3 + 1 + 1); // A: 3 series, B and B#2: total
    expect(html).toContain('Only one run has this workload so far');
    const json = JSON.parse(html.match(/<script id="report-data" type="application\/json">([^]*?)<\/script>/)![1]!);
    expect(json.workloads.map((w: { charts: unknown[] }) => w.charts.length)).toEqual([3, 1, 1, 0]);
    expect(json.runs[0].b).toBe('<img src=x onerror=alert(1)>'); // data is JSON-escaped, drawn with textContent
    expect(html).toContain('▲ 1 flagged'); // new failures in the newest run
  });
});

describe('openBaselineStore', () => {
  it('reads directory, URL and git specs', () => {
    expect(openBaselineStore('/tmp').description).toBe('directory /tmp');
    expect(() => openBaselineStore('/nonexistent/store')).toThrow(/no baseline store at \/nonexistent\/store/);
    expect(openBaselineStore('https://logs.example.org/rg').description).toBe('URL https://logs.example.org/rg/');
    expect(openBaselineStore('git:git@host:org/repo.git#perf:data/x').description).toBe('git branch perf of git@host:org/repo.git (data/x/)');
    expect(openBaselineStore('git:/tmp/bare.git').description).toBe('git branch rally-gate-baselines of /tmp/bare.git');
    expect(() => openBaselineStore('git:')).toThrow(/needs a remote/);
  });
});
