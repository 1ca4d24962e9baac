import type { RingSpec } from './types.js';

/**
 * Why io_uring_setup() refuses these setup flags (-EINVAL), one line per broken constraint of
 * spec/ring.yaml; empty when the ring can be set up. Generators and `validate` both use it.
 */
export function setupViolations(ring: RingSpec, flags: readonly string[]): string[] {
  const set = new Set(flags);
  const out: string[] = [];
  for (const f of ring.setup_flags) {
    if (!set.has(f.name)) continue;
    for (const r of f.requires ?? []) if (!set.has(r)) out.push(`${f.name} requires ${r}`);
    const any = f.requires_one_of ?? [];
    if (any.length && !any.some((r) => set.has(r))) out.push(`${f.name} requires one of ${any.join(', ')}`);
    for (const c of f.conflicts ?? []) if (set.has(c)) out.push(`${f.name} conflicts with ${c}`);
  }
  return out;
}

/** The rules of spec/ring.yaml a ring with these setup flags breaks (one per constrained flag), in flag order. */
export function setupRulesBroken(ring: RingSpec, flags: readonly string[]): NonNullable<RingSpec['setup_flags'][number]['rule']>[] {
  // asked once per prediction: a ring without flags breaks nothing
  if (!flags.length) return [];
  return ring.setup_flags.filter((f) => f.rule && setupViolations({ ...ring, setup_flags: [f] }, flags).length > 0).map((f) => f.rule!);
}
