import type { Case, Expectation, ProfileSpec, Spec } from '../spec/types.js';
import { rawOpcode } from '../spec/case/rawOp.js';
import { predictWith } from '../generators/oracle/predict.js';
import { opcodeRefused } from '../generators/oracle/prep.js';
import { renderCase } from '../c-templates/renderCase.js';
import { execForm, type ExecForm } from '../c-templates/execForm.js';
import type { KnownDivergence } from './verdict.js';

export interface PreparedCase {
  id: string;
  c: Case & { expect: Expectation };
  /** the exec form: what the executor runs and the reproducer renders */
  form: ExecForm;
  /** the standalone C program, rendered on first use */
  readonly source: string;
  divergence?: KnownDivergence & { rule: string; expect?: Expectation };
}

/**
 * The oracle's intended expectation, plus, when the profile is known to diverge for this case, what the
 * profile's tree does instead; then the exec form that checks them (and, when asked for, its C program).
 */
export function prepareCase(spec: Spec, profile: ProfileSpec, id: string, c: Case): PreparedCase {
  const intended = predictWith(spec, profile, c, false).expect;
  const observed = predictWith(spec, profile, c, true);
  const withExpect = { ...c, expect: intended };
  let divergence: PreparedCase['divergence'];
  if (observed.divergences.length && (observed.unpredictable || JSON.stringify(observed.expect) !== JSON.stringify(intended))) {
    const ds = observed.divergences.map((id) => (profile.divergences ?? []).find((x) => x.id === id)!);
    // an unpredictable divergence matches any outcome that misses the intended one
    divergence = {
      id: ds.map((d) => d.id).join(','), rule: ds[0]!.rule,
      reason: ds.map((d) => d.statement.trim()).join(' '), source: ds.map((d) => d.source).join('; '),
      ...(ds.length > 1 ? { parts: ds.map((d) => ({ id: d.id, rule: d.rule, source: d.source })) } : {}),
      ...(observed.unpredictable ? {} : { expect: observed.expect }),
    };
  }
  // an op the profile's tree refuses by its opcode is expected to fail, not probed (the probe would skip the case)
  const probeOps = [...new Set(c.sqes.map((s) => s.op))].filter((op) => rawOpcode(op) === undefined && spec.ops[op]?.probe !== false && !opcodeRefused(spec, profile, op));
  const form = execForm(spec, profile, { id, c: withExpect, ...(divergence ? { divergence } : {}), reapTimeoutMs: reapTimeout(c), probeOps });
  let source: string | undefined;
  return {
    id, c: withExpect, form, ...(divergence ? { divergence } : {}),
    get source() {
      source ??= renderCase(form, { ring: spec.ring, profile, ops: spec.ops });
      return source;
    },
  };
}

/** Long enough for every timer in the case to fire, plus slack for a slow (TCG) machine. */
function reapTimeout(c: Case): number {
  let ms = 0;
  for (const s of c.sqes) {
    for (const v of Object.values(s.fields ?? {})) {
      if (v && typeof v === 'object' && 'timespec' in v) ms = Math.max(ms, v.timespec.sec * 1000 + v.timespec.nsec / 1e6);
    }
  }
  return Math.ceil(2000 + 2 * ms);
}
