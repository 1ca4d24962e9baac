import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultCacheDir } from '../kernel/cacheDir.js';

export interface FoundKernel {
  bzImage: string;
  genInitCpio: string;
  debug: boolean;
}

/**
 * A kernel to boot without building one: $URINGSPEC_KERNEL (gen_init_cpio beside it
 * or in $URINGSPEC_GEN_INIT_CPIO), else the newest build in the cache. Undefined if none.
 */
export function findKernel(o: { debug?: boolean; cacheDir?: string } = {}): FoundKernel | undefined {
  const env = process.env.URINGSPEC_KERNEL;
  if (env) {
    const genInitCpio = process.env.URINGSPEC_GEN_INIT_CPIO ?? join(dirname(env), 'gen_init_cpio');
    return existsSync(env) && existsSync(genInitCpio) ? { bzImage: env, genInitCpio, debug: o.debug ?? false } : undefined;
  }
  const root = join(o.cacheDir ?? defaultCacheDir(), 'kernel');
  if (!existsSync(root)) return undefined;
  const builds = readdirSync(root)
    .map((h) => join(root, h))
    .filter((d) => existsSync(join(d, 'bzImage')) && existsSync(join(d, 'gen_init_cpio')) && existsSync(join(d, 'meta.json')))
    .map((d) => ({ d, meta: JSON.parse(readFileSync(join(d, 'meta.json'), 'utf8')) as { debug: boolean }, mtime: statSync(join(d, 'bzImage')).mtimeMs }))
    .filter((b) => b.meta.debug === (o.debug ?? false))
    .sort((a, b) => b.mtime - a.mtime);
  const best = builds[0];
  return best && { bzImage: join(best.d, 'bzImage'), genInitCpio: join(best.d, 'gen_init_cpio'), debug: best.meta.debug };
}
