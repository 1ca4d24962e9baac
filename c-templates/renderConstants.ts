import type { RingSpec } from '../spec/types.js';
import type { ExecForm } from './execForm.js';
import { cComment } from './cComment.js';
import { cString } from './cString.js';
import { opMacro } from './opMacro.js';

function guarded(name: string, value: number): string {
  return `#ifndef ${name}\n#define ${name} ${value}\n#endif`;
}

/** The negative numbers anywhere in an expectation (CQE res values, a task's results). */
function negatives(v: unknown, out: Set<number>): Set<number> {
  if (typeof v === 'number' && Number.isInteger(v) && v < 0) out.add(-v);
  else if (Array.isArray(v)) for (const x of v) negatives(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) negatives(x, out);
  return out;
}

/**
 * The named constants of a case: its name and sizes, the profile's opcode numbers, the
 * IOSQE_ and IORING_SETUP_ flags it uses (ring.yaml values, #ifndef-guarded so newer
 * liburing headers win), and the ring.yaml names of the errnos its expectations name
 * (messages print any other res as a plain number).
 */
export function renderConstants(form: ExecForm, ring: RingSpec): string {
  const ops = [...new Map(form.sqes.map((s) => [s.op, s.opcode])).entries()];
  const sqeFlags = new Set(form.sqes.flatMap((s) => s.flags));
  const setupFlags = form.ring.flags;
  const expected = negatives([form.want, form.divergence?.expect], new Set());
  const errnos = Object.entries(ring.errno).filter(([, n]) => expected.has(n)).sort((a, b) => a[1] - b[1]);
  return [
    `#define CASE_NAME ${cString(form.id)}`,
    `#define RING_ENTRIES ${form.ring.entries}`,
    `#define RING_FLAGS ${setupFlags.length ? `(${setupFlags.join(' | ')})` : '0'}`,
    `#define REAP_TIMEOUT_MS ${form.reapTimeoutMs}`,
    // the run log's defaults (runtime/report.c) are 256 CQEs and 64 submits
    ...(form.sqes.length * 2 > 256 ? [`#define T_MAX_CQES ${form.sqes.length * 2}`] : []),
    ...(form.batches.length > 64 ? [`#define T_MAX_SUBMITS ${form.batches.length}`] : []),
    '',
    `/* opcode numbers of profile ${cComment(`${form.profile.name} (${form.profile.kernel})`)} */`,
    ...ops.map(([op, n]) => `#define ${opMacro(op)} ${n}`),
    '',
    '/* flag values from spec/ring.yaml */',
    ...ring.sqe_flags.filter((f) => sqeFlags.has(f.name)).map((f) => guarded(f.name, f.value)),
    ...ring.setup_flags.filter((f) => setupFlags.includes(f.name)).map((f) => guarded(f.name, f.value)),
    '',
    '/* names of the errnos this case expects (spec/ring.yaml), for messages */',
    'static const char *const errno_names[] = {',
    ...(errnos.length ? errnos.map(([name]) => `\t[${name}] = ${cString(name)},`) : ['\t[0] = NULL, /* it expects none */']),
    '};',
    '',
  ].join('\n');
}
