import { EnvironmentError } from '../../spec/load/inputError.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { readExtraPatches } from '../kernel/extraPatches.js';
import { cacheDir, progress } from '../context.js';

/** Builds or reuses the reference kernel (the series, then each --extra-patch in order) and prints the path of its bzImage. */
export async function kernelBuildCommand(o: { series?: string; debug?: boolean; coverage?: boolean; extraPatch?: string[] }): Promise<void> {
  if (o.debug && o.coverage) throw new EnvironmentError('--debug and --coverage are separate variants: give one of them');
  // each --extra-patch is read (and refused, naming the option) before any work starts
  readExtraPatches(o.extraPatch ?? []);
  const k = await buildKernel({ ...(o.series ? { series: o.series } : {}), ...(o.extraPatch?.length ? { extraPatches: o.extraPatch } : {}), debug: o.debug ?? false, coverage: o.coverage ?? false, cacheDir: cacheDir(), onProgress: progress });
  progress(k.cached ? `cached kernel ${k.hash} (${k.variant})` : `built kernel ${k.hash} (${k.variant})`);
  process.stdout.write(`${k.bzImage}\n`);
}
