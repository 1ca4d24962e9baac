import type { OpSpec, RingSpec } from '../spec/types.js';
import type { ExecForm } from './execForm.js';
import { cComment } from './cComment.js';
import { cString } from './cString.js';
import { liburingHasOp, opMacro } from './opMacro.js';

function guarded(name: string, value: number): string {
  return `#ifndef ${name}\n#define ${name} ${value}\n#endif`;
}

/**
 * The named constants of a case: its name and sizes, the profile's opcode numbers (asserted
 * for the ops liburing.h declares, defined for the others), and the IOSQE_, IORING_SETUP_ and spec/ring.yaml constants its
 * SQEs name (#ifndef-guarded, so the system's headers win).
 */
export function renderConstants(form: ExecForm, ring: RingSpec, names: string[], ops: Record<string, OpSpec | undefined> = {}): string {
  const used = new Map(form.sqes.filter((s) => !s.raw).map((s) => [s.op, s.opcode]));
  if (form.ringAfter) used.set(form.ringAfter.op, form.ringAfter.opcode);
  const defined = [...used].filter(([op]) => !liburingHasOp(ops[op]));
  const known = [...used].filter(([op]) => liburingHasOp(ops[op]));
  const profile = cComment(`${form.profile.name} (${form.profile.kernel})`);
  const sqeFlags = new Set(form.sqes.flatMap((s) => s.flags));
  const setupFlags = form.ring.flags;
  const named = new Set(names);
  return [
    `#define CASE_NAME ${cString(form.id)}`,
    `#define RING_ENTRIES ${form.ring.entries}`,
    `#define RING_FLAGS ${setupFlags.length ? `(${setupFlags.join(' | ')})` : '0'}`,
    `#define REAP_TIMEOUT_MS ${form.reapTimeoutMs}`,
    // the run log's size (runtime/report.c): 256 CQEs and 64 submits, more for a case that needs them
    `#define T_MAX_CQES ${Math.max(256, form.sqes.length * 2)}`,
    `#define T_MAX_SUBMITS ${Math.max(64, form.batches.length)}`,
    ...known.map(([op, n]) => `_Static_assert(${opMacro(op)} == ${n}, "liburing's ${opMacro(op)} is opcode ${n} of ${profile}");`),
    ...(defined.length ? [`/* opcodes of ${profile} that liburing.h lacks */`] : []),
    ...defined.map(([op, n]) => `#define ${opMacro(op)} ${n}`),
    ...ring.sqe_flags.filter((f) => sqeFlags.has(f.name)).map((f) => guarded(f.name, f.value)),
    ...ring.setup_flags.filter((f) => setupFlags.includes(f.name)).map((f) => guarded(f.name, f.value)),
    ...Object.entries(ring.constants).filter(([c]) => named.has(c)).map(([c, v]) => guarded(c, v)),
    '',
  ].join('\n');
}
