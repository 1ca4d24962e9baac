import type { Case, ProfileSpec } from '../spec/types.js';
import { rawOpcode } from '../spec/case/rawOp.js';

/**
 * Why a case does not run on a profile and target, or undefined when it does. The target is where the
 * program runs, whatever the profile says: a vm-only case never runs on the host, even with a VM profile.
 */
export function notApplicable(c: Case, profile: ProfileSpec, target: string = profile.target): string | undefined {
  if (c.requires?.profiles && !c.requires.profiles.includes(profile.name)) return `needs profile ${c.requires.profiles.join(' or ')}`;
  if ((c.flags ?? []).includes('vm-only') && (target !== 'qemu' || profile.target !== 'qemu')) return 'vm-only: runs only in the QEMU guest';
  // a raw opcode (#n) is a number on every profile: the oracle says what each tree does with it
  const ops = new Set([...c.sqes.map((s) => s.op).filter((op) => rawOpcode(op) === undefined), ...(c.requires?.ops ?? [])]);
  for (const op of ops) if (profile.opcodes[op] === undefined) return `profile ${profile.name} has no ${op}`;
  for (const f of c.ring.flags ?? []) if (!profile.setup_flags.includes(f)) return `profile ${profile.name} does not support ${f}`;
  return undefined;
}
