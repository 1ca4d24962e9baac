import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPatch, patchFileName } from './formatPatch.js';
import type { SeriesPatch } from './seriesPatch.js';

/** Writes the series as `git format-patch` files into `dir` (which must hold no *.patch yet); returns their paths. */
export function writeSeries(patches: SeriesPatch[], dir: string): string[] {
  if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.patch'))) throw new Error(`${dir} already holds *.patch files`);
  mkdirSync(dir, { recursive: true });
  return patches.map((p) => {
    const file = join(dir, patchFileName(p));
    writeFileSync(file, formatPatch(p));
    return file;
  });
}
