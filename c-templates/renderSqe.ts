import { SQE_SLOTS, type CaseSqe, type Fixture, type ProfileSpec, type RingSpec, type SqeSlot } from '../spec/types.js';
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
 * The statements that get one SQE and set every field of it explicitly: opcode from the profile,
 * flags by their ring.yaml names, each slot from the case or 0, user_data = its position.
 */
export function renderSqe(sqe: CaseSqe, userData: number, o: { ring: RingSpec; profile: ProfileSpec; fixtures: Record<string, Fixture> }): RenderedSqe {
  if (o.profile.opcodes[sqe.op] === undefined) throw new Error(`sqe ${userData}: op ${sqe.op} has no opcode in profile ${o.profile.name}`);
  const fields = sqe.fields ?? {};
  for (const slot of Object.keys(fields)) {
    if (!SQE_SLOTS.includes(slot as SqeSlot)) throw new Error(`sqe ${userData}: unknown field "${slot}"`);
  }
  for (const flag of sqe.flags ?? []) {
    if (!o.ring.sqe_flags.some((f) => f.name === flag)) throw new Error(`sqe ${userData}: unknown SQE flag ${flag}`);
  }
  // of two slots sharing storage, write the one the case set and name the other in a comment
  const skip = new Map<SqeSlot, SqeSlot>();
  for (const [a, b] of SAME_STORAGE) {
    if (fields[a] !== undefined && fields[b] !== undefined) throw new Error(`sqe ${userData}: ${a} and ${b} are the same storage; set one`);
    if (fields[b] !== undefined) skip.set(a, b);
    else skip.set(b, a);
  }
  const decls: string[] = [];
  const lines = [
    `\t/* user_data ${userData}: ${sqe.op} */`,
    `\tsqe = t_get_sqe(ring, ${userData});`,
    '\tif (!sqe)',
    '\t\treturn 1;',
    `\tsqe->opcode = ${opMacro(sqe.op)};`,
    `\tsqe->flags = ${sqe.flags?.length ? sqe.flags.join(' | ') : '0'};`,
  ];
  for (const slot of ORDER) {
    if (slot === 'user_data') {
      lines.push(`\tsqe->user_data = ${userData};`);
    } else if (skip.has(slot)) {
      lines.push(`\t/* sqe->${slot} is the same storage as ${skip.get(slot)} */`);
    } else {
      const v = fields[slot];
      const r = v === undefined ? { decls: [], expr: '0' } : renderFieldValue(v, { userData, slot, fixtures: o.fixtures });
      decls.push(...r.decls);
      lines.push(`\tsqe->${slot} = ${r.expr};`);
    }
  }
  return { decls, body: lines.join('\n') + '\n' };
}
