import fc from 'fast-check';
import type { ProfileSpec, RingSetup, RingSpec } from '../spec/types.js';
import { setupViolations } from '../spec/setupFlags.js';

/** Adds what the picked flags require (ring.yaml requires, and the first of requires_one_of when none is set). */
function withRequired(ring: RingSpec, picked: string[]): Set<string> {
  const flags = new Set(picked);
  for (const name of picked) {
    const spec = ring.setup_flags.find((f) => f.name === name);
    for (const r of spec?.requires ?? []) flags.add(r);
    const any = spec?.requires_one_of ?? [];
    if (any.length && !any.some((r) => flags.has(r))) flags.add(any[0]!);
  }
  return flags;
}

/** Ring setups the profile supports that io_uring_setup() accepts (spec/setupFlags.ts). */
export function ringSetup(ring: RingSpec, profile: ProfileSpec, opts: { allowSqpoll?: boolean } = {}): fc.Arbitrary<RingSetup> {
  const names = profile.setup_flags.filter((f) => opts.allowSqpoll !== false || f !== 'IORING_SETUP_SQPOLL');
  return fc.record({
    entries: fc.constantFrom(4, 8, 16, 64),
    picked: fc.subarray(names, { maxLength: 3 }),
  }).map(({ entries, picked }) => {
    const flags = withRequired(ring, picked);
    const sorted = ring.setup_flags.map((f) => f.name).filter((n) => flags.has(n) && profile.setup_flags.includes(n));
    return sorted.length ? { entries, flags: sorted } : { entries };
  }).filter((r) => setupViolations(ring, r.flags ?? []).length === 0);
}
