import fc from 'fast-check';
import type { Fixture } from '../spec/types.js';

/**
 * The fixtures a generated case may refer to. Names are fixed by role so that shrinking keeps
 * references valid: p0/p1 pipes, f0 a file, d0 a directory, x0 a closed fd, and the exec targets.
 */
export function fixtureSet(opts: { exec?: boolean } = {}): fc.Arbitrary<Record<string, Fixture>> {
  const pipe = fc.record({ kind: fc.constant('pipe' as const), bytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 }), fc.constant(4096)), writer_closed: fc.boolean() }, { requiredKeys: ['kind'] });
  const base = fc.record({
    p0: pipe,
    p1: pipe,
    f0: fc.record({ kind: fc.constant('file' as const), size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8192 })) }),
    d0: fc.constant<Fixture>({ kind: 'dir' }),
    x0: fc.constant<Fixture>({ kind: 'closed-fd' }),
  });
  if (!opts.exec) return base as fc.Arbitrary<Record<string, Fixture>>;
  return fc.tuple(base, fc.integer({ min: 0, max: 120 })).map(([b, exit]) => ({
    ...b,
    top: { kind: 'dir', self: true },
    h: { kind: 'exec-helper', exit },
    m: { kind: 'exec-missing' },
    n: { kind: 'exec-noexec' },
    g: { kind: 'exec-garbage' },
    s: { kind: 'exec-script', interpreter: 'helper', exit },
    t: { kind: 'exec-notdir' },
  }) as Record<string, Fixture>);
}

/** Fixture refs by what a field can take. */
export const REFS = {
  'fd': [{ fd: 'p0', end: 'r' }, { fd: 'p0', end: 'w' }, { fd: 'p1', end: 'r' }, { fd: 'p1', end: 'w' }, { fd: 'f0' }, { fd: 'd0' }, { fd: 'x0' }],
  'readable-fd': [{ fd: 'p0', end: 'r' }, { fd: 'p1', end: 'r' }, { fd: 'f0' }],
  'writable-fd': [{ fd: 'p0', end: 'w' }, { fd: 'p1', end: 'w' }, { fd: 'f0' }],
  'dirfd': [{ fd: 'd0' }, { fd: 'x0' }, { fd: 'f0' }],
  'path': [{ path: 'f0' }, { path: 'd0' }, { str: 'new-file' }, { str: '' }],
} as const;

export const EXEC_REFS = {
  'dirfd': [{ fd: 'top' }, { fd: 'd0' }, { fd: 'x0' }, { fd: 'f0' }],
  'exec-path': [{ path: 'h' }, { path: 'm' }, { path: 'n' }, { path: 'g' }, { path: 's' }, { path: 't' }, { path: 'd0' }],
} as const;
