#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2: V8 grows the young generation to 2 x 16 MiB once start-up has kept many
// objects alive, and a run's garbage is short-lived records: 2 MiB halves keep a 10,000-iteration
// task's peak RSS about 30 MiB lower at the same speed (docs/performance.md, case a).
// Runs the bundled CLI (build/rally-gate.cjs) through V8's code cache: the first run stores the
// compiled code next to the bundle (or in the temp folder when that is read-only), later runs skip
// parsing and most compiling, about a third of a short task's start-up. A cache that V8 rejects
// or that cannot be read or written only costs that time, never correctness: it is keyed by the
// bundle's build id, since V8 itself checks only the source length.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'rally-gate.cjs');
let text;
try {
  text = readFileSync(bundle, 'latin1');
} catch (error) {
  process.stderr.write(`rally-gate: cannot read ${bundle} (${error.code ?? error.message}): build it with "npm run build"\n`);
  process.exit(3);
}
// every build gets a random id on its first line (scripts/bundle.mjs)
const buildId = /^\/\/ rally-gate build ([\w-]+)/.exec(text)?.[1];
const cacheName = `rally-gate.${buildId}.${process.versions.v8}.v8cache`;
const cacheFiles = buildId ? [join(dirname(bundle), cacheName), join(tmpdir(), cacheName)] : [];

let cachedData;
for (const file of cacheFiles) {
  try {
    cachedData = readFileSync(file);
    break;
  } catch {
    // not there (yet): compile from source
  }
}
// CommonJS's own wrapper, so the bundle sees what a required file sees
const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${text}\n})`, { filename: bundle, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));

const args = process.argv.slice(2);
process.exitCode = await module.exports.main(args);
// Written after a run (`task start`, `run`) so that it holds the functions a run compiles, not only
// the top level or what `version` needs; V8 keeps a cache it accepted, so the first writer decides.
const runsTasks = (args[0] === 'task' && args[1] === 'start') || args[0] === 'run';
if (runsTasks && (cachedData === undefined || script.cachedDataRejected)) storeCodeCache();

/** Atomically (a rename), so that concurrent runs never read half a cache. */
function storeCodeCache() {
  const data = script.createCachedData();
  for (const file of cacheFiles) {
    try {
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, data);
      renameSync(partial, file);
      return;
    } catch {
      // read-only install: try the next place
    }
  }
}
