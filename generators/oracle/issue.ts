import type { Effect, OpSpec, ResExpect } from '../../spec/types.js';
import { evalBool, evalInt } from '../../spec/expr.js';
import { decided, effective, type Semantics } from './semantics.js';

/** What issuing one request gives, before the chain engine applies link rules. */
export interface IssueResult {
  rule: string;
  res: ResExpect;
  /** the request is REQ_F_FAIL (it breaks its link): the rule's breaks_link, never inferred from res */
  failed: boolean;
  pending: boolean;
  deferred: boolean;
  issueError: boolean;
  punts: boolean;
  /** the CQE's flags (the rule's cqe_flags), when not 0 */
  cqeFlags?: number;
  /** the CQE is posted from the submitter's task work (the rule's task_work) */
  taskWork?: boolean;
  /** it waits on a wait queue entry it armed (the rule's waits_armed): its ->issue() returned */
  waitsArmed?: boolean;
  /** breaks_link differs between the results one_of allows (a filesystem-dependent outcome): what follows is not predictable */
  undetermined?: boolean;
  effects: { effect: Effect; bytes: number; at?: number; values?: number[] }[];
  prev?: ResExpect;
}

function resExpect(src: string | number, oneOf: (string | number)[] | undefined, ctx: object, id: string): ResExpect {
  if (oneOf) return { one_of: [...new Set(oneOf.map((e) => evalInt(e, ctx, id)))].sort((a, b) => a - b) };
  if (typeof src === 'string' && src.startsWith('>=')) return { min: Number(src.slice(2).trim()) };
  return { eq: evalInt(src, ctx, id) };
}

/** Picks the first issue outcome of the op whose condition holds. */
export function issueResult(s: Semantics, op: OpSpec, ctx: Record<string, unknown>): IssueResult {
  for (const raw of op.issue) {
    const rule = effective(s, raw);
    if (!rule || !evalBool(rule.when, ctx, rule.id)) continue;
    decided(s, rule.id);
    if (rule.res === 'pending') return { rule: rule.id, res: { pending: true }, failed: false, pending: true, deferred: false, issueError: false, punts: false, effects: [], ...(rule.waits_armed ? { waitsArmed: true } : {}) };
    const res = resExpect(rule.res, rule.one_of, ctx, rule.id);
    const withRes = Object.assign(Object.create(ctx) as object, { res: 'eq' in res ? res.eq : 0 });
    // REQ_F_FAIL is set or not by each op's own failure path (a TIMEOUT with ETIME_SUCCESS posts -ETIME
    // without failing, a short read fails with res >= 0): every outcome states it, nothing is inferred from res
    const failed = evalBool(rule.breaks_link, withRes, `${rule.id}.breaks_link`);
    const undetermined = 'one_of' in res && res.one_of.some((v) => evalBool(rule.breaks_link, Object.assign(Object.create(ctx) as object, { res: v }), `${rule.id}.breaks_link`) !== failed);
    const effects = (rule.effects ?? []).map((effect) => ({
      effect,
      // the effect's number: bytes, a slot (at), a flag (cloexec), the res a cancel gives (res) or an open's access mode (acc)
      bytes: 'bytes' in effect ? evalInt(effect.bytes, withRes, `${rule.id}.effects`) : 'at' in effect ? evalInt(effect.at, withRes, `${rule.id}.effects`)
        : 'cloexec' in effect && effect.cloexec !== undefined ? evalInt(effect.cloexec, withRes, `${rule.id}.effects`) : 'cancel' in effect ? evalInt(effect.res, withRes, `${rule.id}.effects`)
        : 'acc' in effect && effect.acc !== undefined ? evalInt(effect.acc, withRes, `${rule.id}.effects`) : 0,
      // a copy's file offset, beside its byte count
      ...('at' in effect && 'bytes' in effect ? { at: evalInt(effect.at, withRes, `${rule.id}.effects`) } : {}),
      // store_fds: each end's F_GETFL bits, or the slots the two ends go into
      ...('store_fds' in effect ? { values: (effect.slots ?? effect.fl ?? []).map((x) => evalInt(x, withRes, `${rule.id}.effects`)) } : {}),
      // post_cqe: the posted CQE's user_data, res, flags, and 1 when it comes before the request's own CQE
      ...('post_cqe' in effect ? { values: [
        evalInt(effect.user_data, withRes, `${rule.id}.effects.user_data`), evalInt(effect.res, withRes, `${rule.id}.effects.res`),
        evalInt(effect.flags ?? 0, withRes, `${rule.id}.effects.flags`), evalBool(effect.direct ?? false, withRes, `${rule.id}.effects.direct`) ? 1 : 0,
      ] } : {}),
    }));
    const cqeFlags = rule.cqe_flags !== undefined ? evalInt(rule.cqe_flags, withRes, `${rule.id}.cqe_flags`) : 0;
    const prev = rule.prev ? resExpect(rule.prev.res, rule.prev.one_of, ctx, `${rule.id}.prev`) : undefined;
    return {
      rule: rule.id, res, failed, pending: false, deferred: rule.deferred ?? false, issueError: rule.issue_error ?? false, punts: rule.punts ?? false, effects,
      ...(undetermined ? { undetermined } : {}),
      ...(cqeFlags ? { cqeFlags } : {}),
      ...(prev ? { prev } : {}),
      ...(rule.task_work ? { taskWork: true } : {}),
    };
  }
  throw new Error(`${op.short}: no issue outcome matched (the last rule of an op should be "when: true")`);
}
