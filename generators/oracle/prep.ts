import type { OpSpec } from '../../spec/types.js';
import { evalBool, evalInt } from '../../spec/expr.js';
import { decided, effective, type Semantics } from './semantics.js';

export interface PrepResult { res: number; rule: string }

/** Runs io_init_req()'s checks, then the op's prep checks; the first that holds decides. */
export function prepResult(s: Semantics, op: OpSpec | undefined, ctx: Record<string, unknown>): PrepResult | undefined {
  for (const rule of s.spec.init) {
    if (rule.when === undefined || rule.res === undefined) continue;
    if (evalBool(rule.when, ctx, rule.id)) return { res: evalInt(rule.res, ctx, rule.id), rule: rule.id };
  }
  if (!op) return undefined;
  for (const raw of op.prep) {
    const rule = effective(s, raw);
    if (rule && evalBool(rule.when, ctx, rule.id)) {
      decided(s, rule.id);
      return { res: evalInt(rule.res, ctx, rule.id), rule: rule.id };
    }
  }
  return undefined;
}

/** True when the SQE passed the flag checks that come before ctx->drain_disabled is set. */
export function passesFlagChecks(s: Semantics, ctx: Record<string, unknown>): boolean {
  for (const id of ['init.opcode.unknown', 'init.sqe-flags.unknown', 'init.buffer-select.unsupported']) {
    const rule = s.spec.init.find((r) => r.id === id);
    if (rule?.when !== undefined && evalBool(rule.when, ctx, id)) return false;
  }
  return true;
}
