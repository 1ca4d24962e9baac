import { describe, expect, it } from 'vitest';
import { BuildProgress } from './buildProgress.js';

const cc = (i: number) => `  CC      kernel/f${i}.o`;

describe('BuildProgress', () => {
  it('counts compiled objects only, and speaks at most every 5 s with a percentage and the time left', () => {
    const p = new BuildProgress({ count: 200, from: 'the previous build' }, 0);
    const said: [number, string][] = [];
    for (const [t, line] of [[500, '  HOSTCC  scripts/basic/fixdep'], [600, '  LD      vmlinux.o'], [700, '  AR      kernel/built-in.a']] as const) expect(p.line(line, t)).toBeUndefined();
    for (let i = 0; i < 100; i++) {
      const now = 1000 + i * 100; // one object per 100 ms from t=1 s
      const s = p.line(i % 2 ? cc(i) : `  AS      arch/x86/a${i}.o`, now);
      if (s) said.push([now, s]);
    }
    expect(p.objects).toBe(100);
    expect(said.map(([t]) => t)).toEqual([5000, 10000]);
    // 91 objects in 9 s since the first: 109 left at ~10/s
    expect(said[1][1]).toBe('make: 45% (91/200 objects, count from the previous build), 10s elapsed, about 11s left');
  });

  it('goes past the expected count without claiming more than 100%', () => {
    const p = new BuildProgress({ count: 3, from: 'an estimate' }, 0, 0);
    for (let i = 0; i < 4; i++) p.line(cc(i), 90_000 + i);
    expect(p.describe(125_000)).toBe('make: 4 objects compiled (3 expected from an estimate), 2m05s elapsed, linking soon');
  });

  it('gives no time left before it has a rate', () => {
    const p = new BuildProgress({ count: 1000, from: 'an estimate' }, 0, 0);
    expect(p.line(cc(1), 2000)).toBe('make: 0% (1/1000 objects, count from an estimate), 2s elapsed');
  });
});
