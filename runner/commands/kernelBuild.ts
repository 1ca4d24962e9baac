import { existsSync } from 'node:fs';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { buildKernel } from '../kernel/buildKernel.js';
import { cacheDir, progress } from '../context.js';

/** Builds or reuses the reference kernel and prints the path of its bzImage. */
export async function kernelBuildCommand(o: { series: string; debug?: boolean }): Promise<void> {
  if (!existsSync(o.series)) throw new EnvironmentError(`patch series file not found: ${o.series}`);
  const k = await buildKernel({ series: o.series, debug: o.debug ?? false, cacheDir: cacheDir(), onProgress: progress });
  progress(k.cached ? `cached kernel ${k.hash}` : `built kernel ${k.hash}`);
  process.stdout.write(`${k.bzImage}\n`);
}
