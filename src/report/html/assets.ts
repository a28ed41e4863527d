/**
 * The chart library inlined into every page: uPlot's minified IIFE build and its stylesheet,
 * read from the installed `uplot` package (a runtime dependency), so the page needs no network.
 * Resolved from this module's location, which works from src/ (tests), build/ (tsc) and the
 * esbuild bundle alike, since all sit next to node_modules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InfraError } from '../../common/errors.js';

export interface ChartLibraryAssets {
  script: string;
  style: string;
}

let cached: ChartLibraryAssets | undefined;

export function chartLibraryAssets(): ChartLibraryAssets {
  if (cached) return cached;
  let dist: string;
  try {
    dist = dirname(createRequire(import.meta.url).resolve('uplot'));
  } catch (error) {
    throw new InfraError(`the HTML report needs the "uplot" package, which is not installed: ${(error as Error).message}`);
  }
  cached = {
    script: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
  return cached;
}
