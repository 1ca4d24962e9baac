import { SQE_SLOT_BITS, SQE_SLOTS, type OpSpec, type PrepArgType, type SqeSlot } from '../spec/types.js';
import type { ExecFixture, ExecSqe, ExecValue } from './execForm.js';
import { opMacro } from './opMacro.js';
import { renderFieldValue } from './renderFieldValue.js';
import { namedConstants } from './renderNamedValue.js';

export interface RenderedSqe {
  decls: string[];
  /** statements filling the SQE, indented for a function body */
  body: string;
  /** the spec/ring.yaml constants the statements name */
  names: string[];
}

/** What renderSqe knows of the op beyond the exec form: its spec (liburing prep helper, constant names) and ring.yaml's constants. */
export interface SqeSpec {
  op?: OpSpec;
  constants: Record<string, number>;
}

/** Slots in the order they are written; user_data goes after rw_flags, as in struct io_uring_sqe. */
const ORDER: SqeSlot[] = ['ioprio', 'fd', 'off', 'addr', 'len', 'rw_flags', 'buf_index', 'personality', 'file_index', 'addr3', 'addr2'];

/** Members of one union in struct io_uring_sqe: writing both would let the last one win. */
const SAME_STORAGE: [SqeSlot, SqeSlot][] = [['off', 'addr2']];

/** Can the helper's parameter carry the value unchanged (a 64-bit off through an unsigned count cannot)? */
function passes(v: ExecValue | undefined, slot: SqeSlot, param: PrepArgType): boolean {
  if (!v) return true;
  if (param === 'ptr') return !('fd' in v);
  if ('int' in v) return param === '__u64' || SQE_SLOT_BITS[slot] <= 32 || v.int < 1n << 32n;
  return param === '__u64' || 'fd' in v;
}

/**
 * The statements that get one SQE (zeroed by t_sqe) and set what the case sets. With the op's
 * liburing prep helper, as liburing's tests do: the helper with the case's values as its arguments,
 * then each other slot whose value differs from what the helper left there. Without one: the opcode
 * and each slot the case sets, in struct order. Then the flags (by their ring.yaml names) and user_data.
 */
export function renderSqe(sqe: ExecSqe, fixtures: ExecFixture[], spec?: SqeSpec): RenderedSqe {
  const set = new Map(sqe.slots);
  // of two slots that share storage, only one can be written: the second of each pair wins
  for (const [a, b] of SAME_STORAGE) if (set.has(a) && set.has(b)) set.delete(a);
  const decls: string[] = [];
  const names: string[] = [];
  const value = (slot: SqeSlot, v: ExecValue, param?: PrepArgType) => {
    const pats = spec?.op?.liburing?.names?.[slot];
    const r = renderFieldValue(v, { userData: sqe.user_data, slot, fixtures, ...(pats ? { named: namedConstants(pats, spec!.constants) } : {}), ...(param ? { param } : {}) });
    decls.push(...r.decls);
    names.push(...r.names);
    return r.expr;
  };
  const lines = [`\tsqe = t_sqe(ring, ${sqe.user_data});`];
  const prep = spec?.op?.liburing?.prep;
  const args = (prep?.args ?? []).map((a) => Object.entries(a)[0]! as [SqeSlot, PrepArgType]);
  if (prep && args.every(([slot, param]) => passes(set.get(slot), slot, param))) {
    const zero: ExecValue = { int: 0n };
    lines.push(`\t${prep.fn}(${['sqe', ...args.map(([slot, param]) => value(slot, set.get(slot) ?? zero, param))].join(', ')});`);
    const byHelper = new Set(args.map(([slot]) => slot));
    for (const slot of ORDER) {
      if (byHelper.has(slot)) continue;
      const fixed = BigInt(prep.sets?.[slot] ?? 0);
      const v = set.get(slot);
      const same = v ? 'int' in v && v.int === BigInt.asUintN(SQE_SLOT_BITS[slot], fixed) : fixed === 0n;
      if (!same) lines.push(`\tsqe->${slot} = ${value(slot, v ?? zero)};`);
    }
  } else {
    lines.push(sqe.raw ? `\tsqe->opcode = ${sqe.opcode}; /* a raw opcode */` : `\tsqe->opcode = ${opMacro(sqe.op)};`);
    for (const slot of ORDER) {
      const v = set.get(slot);
      if (v !== undefined) lines.push(`\tsqe->${slot} = ${value(slot, v)};`);
    }
  }
  if (sqe.flags.length) lines.push(`\tsqe->flags = ${sqe.flags.join(' | ')};`);
  lines.push(`\tsqe->user_data = ${sqe.user_data};`);
  if (!SQE_SLOTS.every((s) => ORDER.includes(s))) throw new Error('renderSqe: ORDER misses a slot of SQE_SLOTS');
  return { decls, body: lines.join('\n') + '\n', names };
}
