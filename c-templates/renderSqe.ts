import { SQE_SLOTS, type SqeSlot } from '../spec/types.js';
import type { ExecFixture, ExecSqe } from './execForm.js';
import { opMacro } from './opMacro.js';
import { renderFieldValue } from './renderFieldValue.js';

export interface RenderedSqe {
  decls: string[];
  /** statements filling the SQE, indented for a function body */
  body: string;
}

/** Slots in the order they are written; user_data goes after rw_flags, as in struct io_uring_sqe. */
const ORDER: (SqeSlot | 'user_data')[] = [
  'ioprio', 'fd', 'off', 'addr', 'len', 'rw_flags', 'user_data', 'buf_index', 'personality', 'file_index', 'addr3', 'addr2',
];

/** Members of one union in struct io_uring_sqe: writing both would let the last one win. */
const SAME_STORAGE: [SqeSlot, SqeSlot][] = [['off', 'addr2']];

/**
 * The statements that get one SQE (zeroed by t_get_sqe) and set what the case sets: the opcode
 * macro, flags by their ring.yaml names, each slot the exec form has, in struct order, and the
 * user_data. Slots the case leaves out stay 0.
 */
export function renderSqe(sqe: ExecSqe, fixtures: ExecFixture[]): RenderedSqe {
  const set = new Map(sqe.slots);
  // of two slots that share storage, only one can be written: the second of each pair wins
  for (const [a, b] of SAME_STORAGE) if (set.has(a) && set.has(b)) set.delete(a);
  const decls: string[] = [];
  const lines = [
    `\t/* user_data ${sqe.user_data}: ${sqe.op} */`,
    `\tsqe = t_get_sqe(ring, ${sqe.user_data});`,
    '\tif (!sqe)',
    '\t\treturn 1;',
    `\tsqe->opcode = ${opMacro(sqe.op)};`,
    ...(sqe.flags.length ? [`\tsqe->flags = ${sqe.flags.join(' | ')};`] : []),
  ];
  for (const slot of ORDER) {
    if (slot === 'user_data') {
      lines.push(`\tsqe->user_data = ${sqe.user_data};`);
      continue;
    }
    const v = set.get(slot);
    if (v === undefined) continue;
    const r = renderFieldValue(v, { userData: sqe.user_data, slot, fixtures });
    decls.push(...r.decls);
    lines.push(`\tsqe->${slot} = ${r.expr};`);
  }
  if (!SQE_SLOTS.every((s) => ORDER.includes(s))) throw new Error('renderSqe: ORDER misses a slot of SQE_SLOTS');
  return { decls, body: lines.join('\n') + '\n' };
}
