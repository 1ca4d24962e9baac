import type { BufferBytes } from '../../spec/types.js';

/** Runs of known bytes (the fixtures' pattern from k, or zeros), as a file's contents from offset 0. */
export type Runs = BufferBytes[];

const cut = (r: BufferBytes, from: number, len: number): BufferBytes => ('zero' in r ? { zero: true, len } : { pattern: r.pattern + from, len });

/** The bytes [at, at + n) of runs; past their end a file reads zeros (a hole), which the caller's size rules out. */
export function sliceRuns(runs: Runs, at: number, n: number): Runs {
  const out: Runs = [];
  let pos = 0;
  for (const r of runs) {
    const lo = Math.max(at, pos), hi = Math.min(at + n, pos + r.len);
    if (hi > lo) push(out, cut(r, lo - pos, hi - lo));
    pos += r.len;
  }
  if (at + n > Math.max(at, pos)) push(out, { zero: true, len: at + n - Math.max(at, pos) });
  return out;
}

/** runs with the bytes from `at` replaced by `put` (a hole of zeros between the end and `at`). */
export function spliceRuns(runs: Runs, at: number, put: Runs): Runs {
  const len = runs.reduce((a, r) => a + r.len, 0);
  const n = put.reduce((a, r) => a + r.len, 0);
  const out: Runs = [];
  for (const r of sliceRuns(runs, 0, Math.min(at, len))) push(out, r);
  if (at > len) push(out, { zero: true, len: at - len });
  for (const r of put) push(out, r);
  if (at + n < len) for (const r of sliceRuns(runs, at + n, len - at - n)) push(out, r);
  return out;
}

/** The first `size` bytes of runs (a file cut to size, or grown with zeros). */
export const resizeRuns = (runs: Runs, size: number): Runs => sliceRuns(runs, 0, size);

/** Appends a run, joining it to the last one when they continue each other. */
function push(out: Runs, r: BufferBytes): void {
  if (r.len <= 0) return;
  const last = out[out.length - 1];
  if (last && 'zero' in last && 'zero' in r) out[out.length - 1] = { zero: true, len: last.len + r.len };
  else if (last && 'pattern' in last && 'pattern' in r && last.pattern + last.len === r.pattern) out[out.length - 1] = { pattern: last.pattern, len: last.len + r.len };
  else out.push(r);
}
