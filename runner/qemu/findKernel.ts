import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultCacheDir } from '../kernel/cacheDir.js';
import type { KernelVariant } from '../kernel/kernelPlan.js';

export interface FoundKernel {
  bzImage: string;
  genInitCpio: string;
  variant: KernelVariant;
  /** the cache entry (meta.json, gcov/ for the coverage variant) */
  dir: string;
}

/** The variant a cache entry's meta.json names (older entries say only debug: true or false). */
function variantOf(meta: { variant?: KernelVariant; debug?: boolean }): KernelVariant {
  return meta.variant ?? (meta.debug ? 'debug' : 'plain');
}

/**
 * A kernel to boot without building one: $URINGSPEC_KERNEL (gen_init_cpio beside it or in
 * $URINGSPEC_GEN_INIT_CPIO) for the plain variant, else the newest build of the variant in the
 * cache that is the reference kernel itself (none built with --extra-patch). Undefined if none.
 */
export function findKernel(o: { variant?: KernelVariant; cacheDir?: string } = {}): FoundKernel | undefined {
  const variant = o.variant ?? 'plain';
  const env = process.env.URINGSPEC_KERNEL;
  if (env && variant === 'plain') {
    const genInitCpio = process.env.URINGSPEC_GEN_INIT_CPIO ?? join(dirname(env), 'gen_init_cpio');
    return existsSync(env) && existsSync(genInitCpio) ? { bzImage: env, genInitCpio, variant, dir: dirname(env) } : undefined;
  }
  const root = join(o.cacheDir ?? defaultCacheDir(), 'kernel');
  if (!existsSync(root)) return undefined;
  const builds = readdirSync(root)
    .map((h) => join(root, h))
    .flatMap((d) => {
      try {
        if (!existsSync(join(d, 'bzImage')) || !existsSync(join(d, 'gen_init_cpio'))) return [];
        const meta = JSON.parse(readFileSync(join(d, 'meta.json'), 'utf8')) as { variant?: KernelVariant; debug?: boolean; extraPatches?: string[] };
        return variantOf(meta) === variant && !meta.extraPatches?.length ? [{ d, mtime: statSync(join(d, 'bzImage')).mtimeMs }] : [];
      } catch {
        return []; // a build being written
      }
    })
    .sort((a, b) => b.mtime - a.mtime);
  const best = builds[0];
  return best && { bzImage: join(best.d, 'bzImage'), genInitCpio: join(best.d, 'gen_init_cpio'), variant, dir: best.d };
}
