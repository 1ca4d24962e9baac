import fc from 'fast-check';
import type { ProfileSpec, RingSetup, RingSpec } from '../spec/types.js';

/** Ring setups the profile supports, honouring each flag's requires/conflicts from ring.yaml. */
export function ringSetup(ring: RingSpec, profile: ProfileSpec, opts: { allowSqpoll?: boolean } = {}): fc.Arbitrary<RingSetup> {
  const names = profile.setup_flags.filter((f) => opts.allowSqpoll !== false || f !== 'IORING_SETUP_SQPOLL');
  return fc.record({
    entries: fc.constantFrom(4, 8, 16, 64),
    picked: fc.subarray(names, { maxLength: 3 }),
  }).map(({ entries, picked }) => {
    const flags = new Set(picked);
    for (const name of [...flags]) {
      const spec = ring.setup_flags.find((f) => f.name === name);
      for (const r of spec?.requires ?? []) flags.add(r);
    }
    for (const name of [...flags]) {
      for (const c of ring.setup_flags.find((f) => f.name === name)?.conflicts ?? []) flags.delete(c);
    }
    for (const name of [...flags]) {
      const spec = ring.setup_flags.find((f) => f.name === name);
      if ((spec?.requires ?? []).some((r) => !flags.has(r))) flags.delete(name);
    }
    const sorted = ring.setup_flags.map((f) => f.name).filter((n) => flags.has(n));
    return sorted.length ? { entries, flags: sorted } : { entries };
  });
}
