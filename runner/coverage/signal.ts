import type { GcovDump } from './gcovFrames.js';

/**
 * A campaign's coverage signal, from raw .gcda bytes: which 32-bit words of each file were ever
 * non-zero. A kernel build's .gcda layout is fixed (its functions and counters do not move), so a
 * word that turns non-zero for the first time is a counter that moved for the first time: a chain
 * that did that reached something no chain before it did. The header words are non-zero in every
 * dump and count once, with the first. No gcov run is needed per chain.
 */
export class CoverageSignal {
  private readonly seen = new Map<string, Uint8Array>();

  /** The words of a dump that were never non-zero before, by file (nothing is added). */
  novel(dump: GcovDump): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [path, data] of dump.files) {
      const seen = this.seen.get(path);
      const fresh: number[] = [];
      for (let w = 0; w < data.length >> 2; w++) if (!seen?.[w] && data.readUInt32LE(w << 2) !== 0) fresh.push(w);
      if (fresh.length) out.set(path, fresh);
    }
    return out;
  }

  /** Marks words as seen; returns how many were new. */
  commit(words: Map<string, number[]>): number {
    let fresh = 0;
    for (const [path, ws] of words) {
      const top = Math.max(...ws) + 1;
      let seen = this.seen.get(path);
      if (!seen || seen.length < top) {
        const grown = new Uint8Array(Math.max(top, seen?.length ?? 0));
        if (seen) grown.set(seen);
        seen = grown;
        this.seen.set(path, seen);
      }
      for (const w of ws) if (!seen[w]) { seen[w] = 1; fresh++; }
    }
    return fresh;
  }

  /** Adds a dump's words; returns how many were new (0: the program reached nothing new). */
  add(dump: GcovDump): number {
    return this.commit(this.novel(dump));
  }

  /** Words seen non-zero so far, over all files. */
  get size(): number {
    let n = 0;
    for (const s of this.seen.values()) for (const b of s) n += b;
    return n;
  }
}

/** The words new in both of two runs of one program: what it reaches, without what timing alone did once. */
export function bothNovel(a: Map<string, number[]>, b: Map<string, number[]>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [path, ws] of a) {
    const other = new Set(b.get(path) ?? []);
    const both = ws.filter((w) => other.has(w));
    if (both.length) out.set(path, both);
  }
  return out;
}
