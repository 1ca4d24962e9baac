import type { CaseSqe, FieldValue, SqeSlot } from '../../spec/types.js';
import type { Engine } from './engine.js';

const isResultOf = (v: FieldValue | undefined): v is { result_of: number } => v !== undefined && typeof v === 'object' && 'result_of' in v;

/** Thrown for a case whose `result_of` the oracle cannot resolve: validate refuses the case. */
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
