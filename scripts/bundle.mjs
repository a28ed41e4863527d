// Bundles the CLI into one CommonJS file for Node (build/rally-gate.cjs), which bin/rally-gate.js
// loads through V8's code cache. Start-up is most of a short task's wall time: one bundled file
// loads in about half the time of the ~100 modules tsc emits, and with the code cache V8 neither
// parses it nor compiles again the functions an earlier run compiled (docs/performance.md, case g).
// CommonJS because Node 20 has a code cache API (vm.Script cachedData) only for scripts, not modules.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// code caches of earlier builds (bin/rally-gate.js names them by the build id)
for (const name of existsSync('build') ? readdirSync('build', { withFileTypes: true }) : []) {
  if (name.isFile() && name.name.endsWith('.v8cache')) rmSync(`build/${name.name}`);
}

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'build/rally-gate.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // the loader reads the bundle as one-byte (latin1) text, which is faster: keep it ASCII
  charset: 'ascii',
  sourcemap: true,
  logLevel: 'warning',
  // ssh2 loads optional native addons (.node) that a bundle cannot hold
  external: ['ssh2'],
  // import() of an external (ssh2, node:http) becomes require(): a vm.Script, which is how
  // bin/rally-gate.js runs the bundle, has no loader for dynamic imports
  supported: { 'dynamic-import': false },
  // the sources are ESM: where they ask for their own URL, give the bundle's
  define: { 'import.meta.url': '__rallyGateBundleUrl' },
  // the first line names the build: bin/rally-gate.js keys its code cache by it
  banner: { js: `// rally-gate build ${randomUUID()}\nconst __rallyGateBundleUrl = require('node:url').pathToFileURL(__filename).href;` },
});
