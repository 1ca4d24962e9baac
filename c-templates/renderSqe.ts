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
 * The statements that get one SQE and set every field of it explicitly: the opcode macro, flags by
 * their ring.yaml names, each slot from the exec form or 0, and its user_data.
 */
export function renderSqe(sqe: ExecSqe, fixtures: ExecFixture[]): RenderedSqe {
  const set = new Map(sqe.slots);
  const skip = new Map<SqeSlot, SqeSlot>();
  for (const [a, b] of SAME_STORAGE) {
    if (set.has(b)) skip.set(a, b);
    else skip.set(b, a);
  }
  const decls: string[] = [];
  const lines = [
    `\t/* user_data ${sqe.user_data}: ${sqe.op} */`,
    `\tsqe = t_get_sqe(ring, ${sqe.user_data});`,
    '\tif (!sqe)',
    '\t\treturn 1;',
    `\tsqe->opcode = ${opMacro(sqe.op)};`,
    `\tsqe->flags = ${sqe.flags.length ? sqe.flags.join(' | ') : '0'};`,
  ];
  for (const slot of ORDER) {
    if (slot === 'user_data') {
      lines.push(`\tsqe->user_data = ${sqe.user_data};`);
    } else if (skip.has(slot)) {
      lines.push(`\t/* sqe->${slot} is the same storage as ${skip.get(slot)} */`);
    } else {
      const v = set.get(slot);
      const r = v === undefined ? { decls: [], expr: '0' } : renderFieldValue(v, { userData: sqe.user_data, slot, fixtures });
      decls.push(...r.decls);
      lines.push(`\tsqe->${slot} = ${r.expr};`);
    }
  }
  if (!SQE_SLOTS.every((s) => ORDER.includes(s))) throw new Error('renderSqe: ORDER misses a slot of SQE_SLOTS');
  return { decls, body: lines.join('\n') + '\n' };
}
