/**
 * The page's stylesheet. PASS and FAIL never rely on colour alone (a symbol and the word are always
 * there) and use the Okabe-Ito bluish green and vermillion, which stay distinct for colour-blind readers.
 */
export const PAGE_STYLE = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --bg: #ffffff;
  --accent: #0969da; --pass: #006e50; --pass-bg: #e3f5ee; --fail: #b33f00; --fail-bg: #fdeee4;
  --warn-bg: #fff8e1; --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.page { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; padding: 18px 28px; border-bottom: 1px solid var(--line); background: var(--soft); }
header.page h1 { margin: 0; font-size: 20px; font-weight: 600; }
header.page .meta { color: var(--muted); font-size: 13px; }
.layout { display: grid; grid-template-columns: 260px minmax(0, 1fr); min-height: calc(100vh - 70px); }
nav.workloads { border-right: 1px solid var(--line); padding: 16px 0; position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto; }
nav.workloads a { display: flex; align-items: baseline; gap: 8px; padding: 6px 18px; color: var(--fg); border-left: 3px solid transparent; font-size: 13px; word-break: break-word; }
nav.workloads a:hover { background: var(--soft); text-decoration: none; }
nav.workloads a[aria-current="page"] { border-left-color: var(--accent); background: #eef4fd; font-weight: 600; }
nav.workloads .group { padding: 12px 18px 4px; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
nav.workloads .mark { flex: none; width: 1.1em; text-align: center; font-weight: 700; }
main { padding: 20px 28px 48px; min-width: 0; }
.js .tab:not(.active) { display: none; }
h2 { font-size: 19px; margin: 0 0 4px; font-weight: 600; word-break: break-word; }
h3 { font-size: 15px; margin: 28px 0 10px; font-weight: 600; }
h4 { font-size: 13px; margin: 18px 0 6px; font-weight: 600; }
p.lead { color: var(--muted); margin: 0 0 16px; white-space: pre-wrap; }
.verdict { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px; border-radius: 999px; font-weight: 700; font-size: 13px; letter-spacing: .02em; white-space: nowrap; border: 1px solid; }
.verdict.big { font-size: 16px; padding: 6px 16px; }
.verdict.pass { color: var(--pass); background: var(--pass-bg); border-color: #9fd8c3; }
.verdict.fail { color: var(--fail); background: var(--fail-bg); border-color: #f3b89a; }
.verdict.neutral { color: var(--muted); background: var(--soft); border-color: var(--line); }
.mark.pass { color: var(--pass); } .mark.fail { color: var(--fail); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 14px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; word-break: break-word; }
.card .value.small { font-size: 14px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 13px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.child td:first-child { padding-left: 28px; color: var(--muted); }
tr.child.depth2 td:first-child { padding-left: 46px; }
tr.child.depth3 td:first-child { padding-left: 64px; }
tr.total td { font-weight: 600; }
.table-wrap { overflow-x: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
figure.chart-box { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px 12px 4px; min-width: 0; }
figure.chart-box figcaption { font-weight: 600; font-size: 13px; margin-bottom: 6px; display: flex; justify-content: space-between; gap: 8px; align-items: center; }
figure.chart-box figcaption .hint { color: var(--muted); font-weight: 400; font-size: 12px; }
.chart { min-height: 250px; }
.chart-empty { color: var(--muted); padding: 40px 0; text-align: center; }
select { font: inherit; font-size: 12px; padding: 2px 4px; }
.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
.failure .what { font-weight: 600; word-break: break-word; }
.failure .count { color: var(--muted); font-size: 12px; }
pre { font-family: var(--mono); font-size: 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow: auto; max-height: 420px; white-space: pre; margin: 6px 0; }
pre.wrap { white-space: pre-wrap; word-break: break-word; }
details > summary { cursor: pointer; color: var(--accent); font-size: 13px; }
.notice { background: var(--warn-bg); border: 1px solid #f0d58a; border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.muted { color: var(--muted); }
.bar { height: 10px; background: #0072b2; border-radius: 2px; min-width: 1px; }
.comparison { border: 1px dashed #8c959f; border-radius: 8px; padding: 4px 16px 12px; margin: 16px 0; }
.change.worse, .change.regression { color: var(--fail); font-weight: 600; }
.change.better { color: var(--pass); font-weight: 600; }
.change.waived { color: #8a5a00; font-weight: 600; }
.change.not-enough-data { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; padding: 16px 28px; border-top: 1px solid var(--line); }
.u-legend { font-size: 12px; }
.u-legend .u-marker { border-radius: 2px; }
@media (max-width: 900px) {
  .layout { display: block; }
  nav.workloads { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--line); }
  .charts { grid-template-columns: minmax(0, 1fr); }
  main, header.page { padding-left: 14px; padding-right: 14px; }
}
`;
