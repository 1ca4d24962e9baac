import type { Case, Expectation, ProfileSpec } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { execForm, type ExecForm } from '../execForm.js';
import { rawOpcode } from '../../spec/case/rawOp.js';

const spec = loadSpec();

export interface FormOptions {
  name: string;
  profile: ProfileSpec;
  rules?: string[];
  divergence?: ExecForm['divergence'];
  probeOps?: string[];
  reapTimeoutMs?: number;
}

/** For the renderer's tests: the exec form of a hand-made case (fixture kinds from the real spec/fixtures.yaml). */
export function formOf(c: Case & { expect: Expectation }, o: FormOptions): ExecForm {
  return execForm(spec, o.profile, {
    id: o.name, c: { ...c, rules: o.rules ?? c.rules },
    ...(o.divergence ? { divergence: o.divergence } : {}),
    reapTimeoutMs: o.reapTimeoutMs ?? 2000,
    probeOps: o.probeOps ?? [...new Set(c.sqes.map((s) => s.op))].filter((op) => rawOpcode(op) === undefined),
  });
}
