import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { BufferBytes } from '../../spec/types.js';
import { resizeRuns, sliceRuns, spliceRuns, type Runs } from './byteRuns.js';

/** The bytes runs stand for, one number per byte (the pattern index, or -1 for a zero). */
const bytes = (runs: Runs) => runs.flatMap((r) => Array.from({ length: r.len }, (_, k) => ('zero' in r ? -1 : r.pattern + k)));
const run: fc.Arbitrary<BufferBytes> = fc.oneof(fc.record({ pattern: fc.nat(50), len: fc.integer({ min: 1, max: 9 }) }), fc.record({ zero: fc.constant(true as const), len: fc.integer({ min: 1, max: 9 }) }));
const runs = fc.array(run, { maxLength: 5 });

describe('byte runs', () => {
  it('slices, splices and pads with zeros', () => {
    expect(sliceRuns([{ pattern: 0, len: 16 }], 4, 8)).toEqual([{ pattern: 4, len: 8 }]);
    expect(sliceRuns([{ pattern: 0, len: 4 }], 2, 4)).toEqual([{ pattern: 2, len: 2 }, { zero: true, len: 2 }]);
    expect(spliceRuns([{ pattern: 0, len: 16 }], 4, [{ zero: true, len: 4 }])).toEqual([{ pattern: 0, len: 4 }, { zero: true, len: 4 }, { pattern: 8, len: 8 }]);
    expect(spliceRuns([{ pattern: 0, len: 4 }], 6, [{ pattern: 0, len: 2 }])).toEqual([{ pattern: 0, len: 4 }, { zero: true, len: 2 }, { pattern: 0, len: 2 }]);
    expect(resizeRuns([{ pattern: 0, len: 4 }], 0)).toEqual([]);
  });

  test.prop([runs, fc.nat(40), fc.nat(20)])('slice is the bytes between at and at + n, zeros past the end', (rs, at, n) => {
    const want = Array.from({ length: n }, (_, k) => bytes(rs)[at + k] ?? -1);
    expect(bytes(sliceRuns(rs, at, n))).toEqual(want);
  });

  test.prop([runs, fc.nat(40), runs])('splice writes put at `at` and keeps the rest', (rs, at, put) => {
    const was = bytes(rs), p = bytes(put);
    const want = [...Array.from({ length: Math.max(was.length, at + p.length) }, (_, k) => (k >= at && k < at + p.length ? p[k - at]! : was[k] ?? -1))];
    expect(bytes(spliceRuns(rs, at, put))).toEqual(want);
  });
});
