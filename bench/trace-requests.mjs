// A preload that lists every HTTP request a rally-gate process makes, without touching its code:
//   RALLY_GATE_TRACE_FILE=/tmp/trace.tsv node --import ./bench/trace-requests.mjs bin/rally-gate.js ...
// It subscribes to node:http's diagnostics channels (the OpenStack client's transport) and
// writes one line per finished request: start (epoch ms) and duration ms, method,
// origin+path (query kept: OpenStack puts no secrets there), status or the error's code.
// bench/count-requests.mjs reads these files to compare per-iteration API calls with Rally's.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env.RALLY_GATE_TRACE_FILE;
if (file) {
  const started = new WeakMap();
  const lines = [];
  const line = (request, outcome) => {
    const t0 = started.get(request) ?? performance.now();
    const target = `${request.protocol}//${request.getHeader('host')}${request.path}`;
    lines.push(`${(performance.timeOrigin + t0).toFixed(1)}\t${(performance.now() - t0).toFixed(1)}\t${request.method}\t${target}\t${outcome}`);
  };
  subscribe('http.client.request.start', ({ request }) => started.set(request, performance.now()));
  subscribe('http.client.response.finish', ({ request, response }) => line(request, String(response.statusCode)));
  // Node 20.18+ (older ones do not publish it: a failed request is then missing from the list)
  subscribe('http.client.request.error', ({ request, error }) => line(request, `error ${error?.code ?? error?.name ?? 'unknown'}`));
  // written once at exit: the trace must not add I/O to the timed requests
  process.on('exit', () => {
    lines.push(`${(performance.timeOrigin + performance.now()).toFixed(1)}\t0\tEXIT\t-\t-`);
    appendFileSync(file, `${lines.join('\n')}\n`);
  });
}
