import type { Case, ProfileSpec, RingSpec } from '../spec/types.js';
import { cComment } from './cComment.js';
import { cString } from './cString.js';
import { opMacro } from './opMacro.js';

function guarded(name: string, value: number): string {
  return `#ifndef ${name}\n#define ${name} ${value}\n#endif`;
}

/**
 * The named constants of a case: its name and sizes, the profile's opcode numbers, the
 * IOSQE_ and IORING_SETUP_ flags it uses (ring.yaml values, #ifndef-guarded so newer
 * liburing headers win), the op of each user_data, and ring.yaml's errno names.
 */
export function renderConstants(c: Case, o: { name: string; ring: RingSpec; profile: ProfileSpec; reapTimeoutMs: number; submits: number }): string {
  const ops = [...new Set(c.sqes.map((s) => s.op))];
  const sqeFlags = new Set(c.sqes.flatMap((s) => s.flags ?? []));
  const setupFlags = c.ring.flags ?? [];
  for (const f of setupFlags) {
    if (!o.ring.setup_flags.some((s) => s.name === f)) throw new Error(`ring: unknown setup flag ${f}`);
  }
  const p = o.profile;
  const errnos = Object.entries(o.ring.errno).sort((a, b) => a[1] - b[1]).map(([name]) => name);
  return [
    `#define CASE_NAME ${cString(o.name)}`,
    `#define NR_SQES ${c.sqes.length}`,
    `#define RING_ENTRIES ${c.ring.entries}`,
    `#define RING_FLAGS ${setupFlags.length ? `(${setupFlags.join(' | ')})` : '0'}`,
    `#define REAP_TIMEOUT_MS ${o.reapTimeoutMs}`,
    // the run log's defaults (runtime/report.c) are 256 CQEs and 64 submits
    ...(c.sqes.length * 2 > 256 ? [`#define T_MAX_CQES ${c.sqes.length * 2}`] : []),
    ...(o.submits > 64 ? [`#define T_MAX_SUBMITS ${o.submits}`] : []),
    '',
    `/* opcode numbers of profile ${cComment(`${p.name} (${p.kernel})`)} */`,
    ...ops.map((op) => `#define ${opMacro(op)} ${p.opcodes[op]}`),
    '',
    '/* flag values from spec/ring.yaml */',
    ...o.ring.sqe_flags.filter((f) => sqeFlags.has(f.name)).map((f) => guarded(f.name, f.value)),
    ...o.ring.setup_flags.filter((f) => setupFlags.includes(f.name)).map((f) => guarded(f.name, f.value)),
    '',
    '/* the op of each SQE, by user_data */',
    `static const char *const sqe_op_names[NR_SQES + 1] = { ${['NULL', ...c.sqes.map((s) => cString(s.op))].join(', ')} };`,
    '',
    '/* errno names from spec/ring.yaml, for messages */',
    'static const char *const errno_names[] = {',
    ...errnos.map((name) => `\t[${name}] = ${cString(name)},`),
    '};',
    '',
  ].join('\n');
}
