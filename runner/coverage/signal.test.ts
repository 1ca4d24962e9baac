import { describe, expect, it } from 'vitest';
import { bothNovel, CoverageSignal } from './signal.js';
import type { GcovDump } from './gcovFrames.js';

const words = (...w: number[]) => {
  const b = Buffer.alloc(w.length * 4);
  w.forEach((v, i) => b.writeUInt32LE(v, i * 4));
  return b;
};
const dump = (files: Record<string, Buffer>): GcovDump => ({ tag: 't', files: new Map(Object.entries(files)), complete: true, problems: [], skipped: 0 });

describe('CoverageSignal', () => {
  it('counts a counter word that turns non-zero for the first time, once', () => {
    const s = new CoverageSignal();
    // header words, then two counters of which the first moved
    expect(s.add(dump({ 'a.gcda': words(0x67636461, 5, 1, 0) }))).toBe(3);
    expect(s.add(dump({ 'a.gcda': words(0x67636461, 5, 9, 0) }))).toBe(0);
    // the second counter moves: one new word; another file is new too
    expect(s.add(dump({ 'a.gcda': words(0x67636461, 5, 0, 2), 'b.gcda': words(7) }))).toBe(2);
    expect(s.add(dump({ 'a.gcda': words(0x67636461, 5, 0, 2) }))).toBe(0);
    expect(s.size).toBe(5);
  });

  it('counts only what two runs both moved, when asked', () => {
    const s = new CoverageSignal();
    s.add(dump({ 'a.gcda': words(1, 0, 0, 0) }));
    const once = s.novel(dump({ 'a.gcda': words(1, 3, 4, 0) }));
    const twice = s.novel(dump({ 'a.gcda': words(1, 3, 0, 5) }));
    expect(s.commit(bothNovel(once, twice))).toBe(1);
    expect(s.novel(dump({ 'a.gcda': words(1, 3, 4, 5) }))).toEqual(new Map([['a.gcda', [2, 3]]]));
  });
});
