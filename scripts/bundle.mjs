// Bundles the CLI into one ESM file (build/rally-gate.mjs). One file loads in about half the time of
// the ~100 modules tsc emits, which is most of a short task's wall time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'build/rally-gate.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // ssh2 loads optional native addons (.node) that a bundle cannot hold; it is resolved from node_modules.
  external: ['ssh2'],
  // CommonJS dependencies (nunjucks, ajv, ...) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __rallyGateCreateRequire } from 'node:module'; const require = __rallyGateCreateRequire(import.meta.url);" },
});
