import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpectedObjects } from './buildProgress.js';
import type { KernelVariant } from './kernelPlan.js';

/** Objects make compiles for tinyconfig plus the fragment on 6.12 (measured; see meta.json `objects`). */
export const ESTIMATED_OBJECTS: Record<KernelVariant, number> = { plain: 1195, debug: 1260, coverage: 1210 };

/**
 * The object count of the newest cached build of the same variant (meta.json `objects`),
 * else of any variant, else the estimate.
 */
export function expectedObjects(cacheDir: string, variant: KernelVariant): ExpectedObjects {
  const root = join(cacheDir, 'kernel');
  const metas: { variant: string; objects: number; at: number }[] = [];
  for (const name of existsSync(root) ? readdirSync(root) : []) {
    const file = join(root, name, 'meta.json');
    try {
      const m = JSON.parse(readFileSync(file, 'utf8'));
      const v = m.variant ?? (m.debug ? 'debug' : 'plain');
      if (Number.isInteger(m.objects) && m.objects > 0) metas.push({ variant: v, objects: m.objects, at: statSync(file).mtimeMs });
    } catch {
      // an entry being written, or from an older recipe without meta.json
    }
  }
  metas.sort((a, b) => b.at - a.at);
  const best = metas.find((m) => m.variant === variant) ?? metas[0];
  return best ? { count: best.objects, from: 'the previous build' } : { count: ESTIMATED_OBJECTS[variant], from: 'an estimate' };
}
