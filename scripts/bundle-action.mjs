// Bundles the GitHub Action (src/action/index.ts) into dist/index.js, which action.yml runs with
// node24. dist/ is committed (GitHub runs actions without installing them) and must match the
// sources: scripts/check-dist.sh rebuilds it and fails on any difference. Deterministic: no source
// map, no timestamps; the same sources and esbuild version give the same bytes.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

const outdir = process.argv[2] ?? 'dist';

// ssh2 (used by runs that deploy DevStack) requires optional native addons inside try/catch and
// falls back to pure JavaScript without them; a bundle cannot hold .node files, so each becomes a
// module that throws, which takes exactly that fallback.
const nativeAddonsFallBack = {
  name: 'native-addons-fall-back',
  setup(build) {
    build.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, namespace: 'native-addon' }));
    build.onLoad({ filter: /.*/, namespace: 'native-addon' }, () => ({
      contents: 'throw new Error("native addon not bundled: the pure JavaScript code path is used");',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['src/action/index.ts'],
  plugins: [nativeAddonsFallBack],
  outfile: `${outdir}/index.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (nunjucks, ajv, ...) call require(); give the ESM bundle one.
  // ssh2 also reads __dirname, which ES modules do not have.
  banner: {
    js:
      "import { createRequire as __rallyGateCreateRequire } from 'node:module'; import { fileURLToPath as __rallyGateFileUrlToPath } from 'node:url'; " +
      'const require = __rallyGateCreateRequire(import.meta.url); const __filename = __rallyGateFileUrlToPath(import.meta.url); ' +
      "const __dirname = __rallyGateFileUrlToPath(new URL('.', import.meta.url));",
  },
});
// dist/index.js is ESM whatever the package.json above it says.
await writeFile(`${outdir}/package.json`, '{ "type": "module" }\n');

// The HTML report inlines uPlot's files, found by resolving the "uplot" package at run time. A
// runner has no node_modules next to the action, so the package's files travel with the bundle.
const uplot = `${outdir}/node_modules/uplot`;
await rm(uplot, { recursive: true, force: true });
await mkdir(`${uplot}/dist`, { recursive: true });
const manifest = JSON.parse(await readFile('node_modules/uplot/package.json', 'utf8'));
const { name, version, license, main } = manifest;
await writeFile(`${uplot}/package.json`, `${JSON.stringify({ name, version, license, main }, null, 2)}\n`);
for (const file of ['LICENSE', main, 'dist/uPlot.iife.min.js', 'dist/uPlot.min.css']) {
  await copyFile(`node_modules/uplot/${file}`, `${uplot}/${file}`);
}
