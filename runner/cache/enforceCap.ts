import { rmSync } from 'node:fs';
import { cacheMax, formatSize } from './parseSize.js';
import { counted, planEviction, type CacheEntry } from './planEviction.js';
import { scanCache } from './scanCache.js';

export function removeEntries(entries: CacheEntry[]): void {
  for (const e of entries) for (const p of e.paths) rmSync(p, { recursive: true, force: true });
}

/**
 * Keeps the cache under its cap ($URINGSPEC_CACHE_MAX, default 300M) after a run that added to it, by
 * least-recently-used eviction (runner/cache/planEviction.ts). Says what it removed on `onEvict`.
 */
export function enforceCacheCap(dir: string, o: { cap?: number; inUse?: string[]; onEvict?: (line: string) => void } = {}): CacheEntry[] {
  const cap = o.cap ?? cacheMax();
  const entries = scanCache(dir, { ...(o.inUse ? { inUse: o.inUse } : {}) });
  const victims = planEviction(entries, cap);
  if (!victims.length) return [];
  removeEntries(victims);
  const freed = victims.reduce((s, e) => s + e.bytes, 0);
  const left = entries.filter(counted).reduce((s, e) => s + e.bytes, 0) - freed;
  o.onEvict?.(`cache: evicted ${victims.length} least recently used entries (${formatSize(freed)}); ${formatSize(left)} of ${formatSize(cap)} in ${dir}`);
  return victims;
}
