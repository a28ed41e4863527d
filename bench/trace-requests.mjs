// A preload that lists every HTTP request a rally-gate process makes, without touching its code:
//   RALLY_GATE_TRACE_FILE=/tmp/trace.tsv node --import ./bench/trace-requests.mjs bin/rally-gate.js ...
// It subscribes to undici's diagnostics channels (the bundled undici publishes them too) and
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
    lines.push(`${(performance.timeOrigin + t0).toFixed(1)}\t${(performance.now() - t0).toFixed(1)}\t${request.method}\t${request.origin}${request.path}\t${outcome}`);
  };
  subscribe('undici:request:create', ({ request }) => started.set(request, performance.now()));
  subscribe('undici:request:headers', ({ request, response }) => line(request, String(response.statusCode)));
  subscribe('undici:request:error', ({ request, error }) => line(request, `error ${error?.code ?? error?.name ?? 'unknown'}`));
  // written once at exit: the trace must not add I/O to the timed requests
  process.on('exit', () => {
    lines.push(`${(performance.timeOrigin + performance.now()).toFixed(1)}\t0\tEXIT\t-\t-`);
    appendFileSync(file, `${lines.join('\n')}\n`);
  });
}
