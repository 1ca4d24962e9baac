import { EnvironmentError } from '../../spec/load/inputError.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { cacheDir, progress } from '../context.js';

/** Builds or reuses the reference kernel and prints the path of its bzImage. */
export async function kernelBuildCommand(o: { series?: string; debug?: boolean; coverage?: boolean }): Promise<void> {
  if (o.debug && o.coverage) throw new EnvironmentError('--debug and --coverage are separate variants: give one of them');
  const k = await buildKernel({ ...(o.series ? { series: o.series } : {}), debug: o.debug ?? false, coverage: o.coverage ?? false, cacheDir: cacheDir(), onProgress: progress });
  progress(k.cached ? `cached kernel ${k.hash} (${k.variant})` : `built kernel ${k.hash} (${k.variant})`);
  process.stdout.write(`${k.bzImage}\n`);
}
