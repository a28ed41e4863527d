// Bundles the GitHub Action (src/action/index.ts) into dist/index.js, which action.yml runs with
// node24. dist/ is committed (GitHub runs actions without installing them) and must match the
// sources: scripts/check-dist.sh rebuilds it and fails on any difference. Deterministic: no source
// map, no timestamps; the same sources and esbuild version give the same bytes.
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';

const outdir = process.argv[2] ?? 'dist';

await build({
  entryPoints: ['src/action/index.ts'],
  outfile: `${outdir}/index.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (nunjucks, ajv, ...) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __rallyGateCreateRequire } from 'node:module'; const require = __rallyGateCreateRequire(import.meta.url);" },
});
// dist/index.js is ESM whatever the package.json above it says.
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n');
