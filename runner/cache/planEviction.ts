/**
 * A cache entry: what is deleted together (a binary and its source, a kernel directory). `scratch` is
 * what an aborted build or compile left behind, `bin` compiled cases and other small artefacts,
 * `kernel` a built kernel: kernels go last, since one costs minutes to rebuild.
 */
export interface CacheEntry {
  paths: string[];
  bytes: number;
  lastUsedMs: number;
  tier: 'scratch' | 'bin' | 'kernel';
  /** held by a live build, or the kernel in use: never evicted */
  protected?: boolean;
  /** a binary made or run in the last minutes, maybe by a run still going: neither evicted nor counted */
  recent?: boolean;
  label: string;
}

const TIER_ORDER = { scratch: 0, bin: 1, kernel: 2 } as const;

/**
 * A build in progress is not cache yet: its tree (over a GB) must not push finished entries out; nor must the
 * binaries a run beside this one may be about to start (a kernel costs minutes, a binary one compile).
 */
export const counted = (e: CacheEntry) => !(e.protected && e.tier === 'scratch') && !e.recent;

/** Which entries to delete so that the total fits under `cap`: scratch first, then least recently used bins, then kernels. */
export function planEviction(entries: CacheEntry[], cap: number): CacheEntry[] {
  let total = entries.filter(counted).reduce((s, e) => s + e.bytes, 0);
  const victims: CacheEntry[] = [];
  const order = entries.filter((e) => !e.protected && !e.recent).sort((a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || a.lastUsedMs - b.lastUsedMs);
  for (const e of order) {
    if (total <= cap) break;
    victims.push(e);
    total -= e.bytes;
  }
  return victims;
}
