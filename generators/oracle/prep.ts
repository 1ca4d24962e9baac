import type { OpSpec, ProfileSpec, Spec } from '../../spec/types.js';
import { evalBool, evalInt, exprNames } from '../../spec/expr.js';
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

/**
 * Whether io_init_req() refuses every SQE of the op on this profile by its opcode alone (the rules of
 * spec/init.yaml that read only op.opcode and kernel.*, e.g. an opcode at or above the tree's op_last): the
 * profile lists the op so that a case can expect that refusal, so a runtime must not skip the case because
 * the kernel's probe lacks the opcode, and two profiles that differ here do not share the op.
 */
export function opcodeRefused(spec: Spec, profile: ProfileSpec, opName: string): boolean {
  // asked for every op of every case prepared: the answer depends on the spec and profile only
  const bySpec = refusedMemo.get(spec) ?? refusedMemo.set(spec, new WeakMap()).get(spec)!;
  const byOp = bySpec.get(profile) ?? bySpec.set(profile, new Map()).get(profile)!;
  let refused = byOp.get(opName);
  if (refused === undefined) byOp.set(opName, (refused = refusedByInit(spec, profile, opName)));
  return refused;
}

const refusedMemo = new WeakMap<Spec, WeakMap<ProfileSpec, Map<string, boolean>>>();

function refusedByInit(spec: Spec, profile: ProfileSpec, opName: string): boolean {
  const opcode = profile.opcodes[opName];
  return opcode !== undefined && opcodeNumberRefused(spec, profile, opcode);
}

/** Whether io_init_req() refuses an opcode number on this profile by the number alone (as opcodeRefused, for a raw opcode). */
export function opcodeNumberRefused(spec: Spec, profile: ProfileSpec, opcode: number): boolean {
  const ctx = Object.assign(Object.create({ ...spec.ring.errno, ...spec.ring.constants }) as object, { op: { opcode }, kernel: profile.features });
  return spec.init.some((rule) => {
    if (typeof rule.when !== 'string') return false;
    const { names } = exprNames(rule.when);
    const byOpcode = names.includes('op.opcode') && names.every((n) => n === 'op.opcode' || n.startsWith('kernel.') || !n.includes('.'));
    return byOpcode && evalBool(rule.when, ctx, rule.id);
  });
}
