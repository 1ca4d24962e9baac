import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CacheEntry } from './planEviction.js';

/**
 * Bytes and last use (the later of atime and mtime) of a file or a whole tree; a directory's own times
 * change whenever an entry is added, so only its files count (an empty one has its own).
 */
function measure(p: string): { bytes: number; lastUsedMs: number } {
  // another process (a compile renaming its temp file, a build) may remove entries while we look
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (!st) return { bytes: 0, lastUsedMs: 0 };
  if (!st.isDirectory()) return { bytes: st.size, lastUsedMs: Math.max(st.atimeMs, st.mtimeMs) };
  let names: string[];
  try { names = readdirSync(p); } catch { return { bytes: 0, lastUsedMs: st.mtimeMs }; }
  const ms = names.map((name) => measure(join(p, name)));
  if (!ms.length) return { bytes: 0, lastUsedMs: st.mtimeMs };
  return ms.reduce((a, m) => ({ bytes: a.bytes + m.bytes, lastUsedMs: Math.max(a.lastUsedMs, m.lastUsedMs) }));
}

function lockHeld(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A compile writes `.<hash>.<pid>.<rand>` beside the binaries; an hour-old one was abandoned. */
const STALE_MS = 3600_000;

/**
 * A binary compiled or run this recently may belong to a run still going (which compiles its cases before it
 * runs them, or a second run beside this one): evicting it would make that run fail to start the case.
 */
export const RECENT_MS = 15 * 60_000;

/**
 * The entries of a cache directory: <cache>/bin/<sha256>(.c) per compiled case, <cache>/kernel/<hash>/
 * per kernel, <cache>/build-<hash>/ and staging dirs of a build (scratch unless its lock is held), and any
 * other top-level file or directory as an ordinary entry. `inUse` paths protect the kernel holding them,
 * and the most recently used kernel is kept too (a VM run reads it without telling the cache). A running
 * build's size is 0 unless `measureBuilds`.
 */
export function scanCache(dir: string, o: { inUse?: string[]; now?: number; measureBuilds?: boolean } = {}): CacheEntry[] {
  if (!existsSync(dir)) return [];
  const now = o.now ?? Date.now();
  const entries: CacheEntry[] = [];
  const add = (paths: string[], tier: CacheEntry['tier'], label: string, isProtected = false): CacheEntry => {
    // a running build's tree (100k files) is not cache yet: walk it only when asked to show its size
    const skip = isProtected && tier === 'scratch' && !o.measureBuilds;
    const ms = skip ? [] : paths.filter((p) => existsSync(p)).map(measure);
    const entry: CacheEntry = { paths, tier, label, bytes: ms.reduce((s, m) => s + m.bytes, 0), lastUsedMs: ms.reduce((a, m) => Math.max(a, m.lastUsedMs), 0), ...(isProtected ? { protected: true } : {}) };
    entries.push(entry);
    return entry;
  };
  const kernelRoot = join(dir, 'kernel');
  const held = (hash: string) => lockHeld(join(kernelRoot, `${hash}.lock`));
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const isDir = lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    if (name === 'bin' && isDir) {
      const groups = new Map<string, string[]>();
      for (const f of readdirSync(p)) {
        const key = f.startsWith('.') ? f : f.replace(/\.c$/, '');
        groups.set(key, [...(groups.get(key) ?? []), join(p, f)]);
      }
      for (const [key, paths] of groups) {
        if (key.startsWith('.')) add(paths, 'scratch', `bin/${key}`, now - measure(paths[0]!).lastUsedMs < STALE_MS);
        else {
          const bin = add(paths, 'bin', `bin/${key}`);
          if (now - bin.lastUsedMs < RECENT_MS) bin.recent = true;
        }
      }
    } else if (name === 'kernel' && isDir) {
      for (const k of readdirSync(p)) {
        if (k.endsWith('.lock')) continue;
        const staging = /^(.+)\.tmp-\d+$/.exec(k);
        if (staging) add([join(p, k)], 'scratch', `kernel/${k}`, held(staging[1]!));
        else add([join(p, k)], 'kernel', `kernel/${k}`, held(k));
      }
    } else {
      const build = /^build-(.+)$/.exec(name);
      if (build) add([p], 'scratch', name, held(build[1]!));
      else add([p], 'bin', name);
    }
  }
  const inUse = new Set((o.inUse ?? []).map((p) => resolve(dirname(p))));
  const kernels = entries.filter((e) => e.tier === 'kernel');
  const newest = kernels.reduce<CacheEntry | undefined>((a, e) => (!a || e.lastUsedMs > a.lastUsedMs ? e : a), undefined);
  for (const k of kernels) if (k === newest || inUse.has(resolve(k.paths[0]!))) k.protected = true;
  return entries;
}
