import type { CaseSqe, FieldValue, SqeSlot } from '../../spec/types.js';
import type { Engine } from './engine.js';
import { rawOpcode } from '../../spec/case/rawOp.js';
import { opcodeNumberRefused } from './prep.js';

const isResultOf = (v: FieldValue | undefined): v is { result_of: number } => v !== undefined && typeof v === 'object' && 'result_of' in v;

/** Thrown for a case whose `result_of` or raw opcode the oracle cannot resolve: validate refuses the case. */
export class ResultOfError extends Error {}

/**
 * An SQE as its batch fills it: each `{ result_of: ud }` becomes what the runtime reads from ud's CQE then. The
 * request's CQE came before this batch (parseCase: an earlier batch, settled): a negative res is the value itself
 * (an fd that is no fd: the request that should have opened it failed), a known res >= 0 the number, and an fd the
 * request opened (`min`) the fd of the file it opened (world.results), which the oracle follows from there on.
 */
export function resolveResultOf(e: Engine, sqe: CaseSqe): CaseSqe {
  const f = sqe.fields;
  if (!f || !Object.values(f).some(isResultOf)) return sqe;
  const fields: Partial<Record<SqeSlot, FieldValue>> = { ...f };
  for (const [slot, v] of Object.entries(f) as [SqeSlot, FieldValue][]) {
    if (!isResultOf(v)) continue;
    const ud = v.result_of;
    const res = e.cqes.get(ud)?.res;
    if (!res || 'pending' in res || 'absent' in res) throw new ResultOfError(`result_of ${ud}: the oracle predicts no CQE for it before this SQE's batch`);
    if ('one_of' in res) throw new ResultOfError(`result_of ${ud}: its res is one of [${res.one_of.join(', ')}], not one value the oracle can follow`);
    if ('eq' in res) {
      fields[slot] = res.eq;
      continue;
    }
    const key = e.world.results.get(ud);
    if (key === undefined) throw new ResultOfError(`result_of ${ud}: its res is a new fd of a file the oracle does not model (only an open of a fixture's path is followed)`);
    fields[slot] = { fd: key };
  }
  return { ...sqe, fields };
}

/**
 * An SQE with a raw opcode (`op: { raw: n }`) on this profile: the op of the profile's tree that has that number, when
 * one does (it is that op; one that spawns only in a vm-only case), else the number itself, which io_init_req() must
 * refuse by the number alone (init.opcode.unknown at or above op_last): a number below it that names no op of the spec
 * is an op the oracle does not know, and the case is refused.
 */
export function resolveRawOp(e: Engine, sqe: CaseSqe): CaseSqe {
  const n = rawOpcode(sqe.op);
  if (n === undefined) return sqe;
  const { spec, profile } = e.s;
  const name = Object.entries(profile.opcodes).find(([, v]) => v === n)?.[0];
  if (name !== undefined) {
    const op = spec.ops[name];
    if ((op?.spawns || op?.spawn_only) && !(e.c.flags ?? []).includes('vm-only')) throw new ResultOfError(`raw opcode ${n} is ${name} on ${profile.name}, an op that spawns: the case must be vm-only`);
    return { ...sqe, op: name };
  }
  if (!opcodeNumberRefused(spec, profile, n)) throw new ResultOfError(`raw opcode ${n} is no op the spec knows on ${profile.name}, and io_init_req() does not refuse it by its number`);
  return sqe;
}
