import { EnvironmentError } from '../../spec/load/inputError.js';
import { cacheDir } from '../context.js';
import { enforceCacheCap, removeEntries } from '../cache/enforceCap.js';
import { cacheMax, formatSize } from '../cache/parseSize.js';
import { counted, type CacheEntry } from '../cache/planEviction.js';
import { scanCache } from '../cache/scanCache.js';

function summary(dir: string, entries: CacheEntry[], cap: number): string[] {
  const tiers = ['bin', 'kernel', 'scratch'] as const;
  const total = entries.filter(counted).reduce((s, e) => s + e.bytes, 0);
  const bytes = (es: CacheEntry[]) => es.reduce((s, e) => s + e.bytes, 0);
  const building = bytes(entries.filter((e) => !counted(e) && !e.recent));
  const recent = bytes(entries.filter((e) => e.recent));
  const plus = [...(building ? [`${formatSize(building)} in running builds`] : []), ...(recent ? [`${formatSize(recent)} of binaries made or run in the last 15 minutes`] : [])];
  return [
    `${dir}: ${formatSize(total)} of ${formatSize(cap)} (cap: $URINGSPEC_CACHE_MAX, default 300M)${plus.length ? `, plus ${plus.join(' and ')}` : ''}`,
    ...tiers.map((t) => {
      const es = entries.filter((e) => e.tier === t);
      const kept = es.filter((e) => e.protected).length;
      return `  ${t.padEnd(8)} ${String(es.length).padStart(5)} entries ${formatSize(es.reduce((s, e) => s + e.bytes, 0)).padStart(6)}${kept ? ` (${kept} in use)` : ''}`;
    }),
  ];
}

/** Shows the cache's size per kind of entry; --prune evicts down to the cap, --clear removes all but what a live build holds. */
export async function cacheCommand(o: { prune?: boolean; clear?: boolean }): Promise<void> {
  if (o.prune && o.clear) throw new EnvironmentError('give --prune or --clear, not both');
  const dir = cacheDir();
  const cap = cacheMax();
  if (o.prune) enforceCacheCap(dir, { cap, onEvict: (l) => process.stderr.write(`uringspec: ${l}\n`) });
  if (o.clear) {
    // only a live build's tree is held: --clear is asked for, recent binaries and kernels go too
    const held = (e: CacheEntry) => e.protected && e.tier === 'scratch';
    const entries = scanCache(dir).filter((e) => !held(e));
    removeEntries(entries);
    process.stderr.write(`uringspec: cache: removed ${entries.length} entries (${formatSize(entries.reduce((s, e) => s + e.bytes, 0))})\n`);
  }
  for (const line of summary(dir, scanCache(dir, { measureBuilds: true }), cap)) process.stdout.write(`${line}\n`);
}
