import { describe, expect, it } from 'vitest';
import type { Verdict } from '../verdict.js';
import { differences, fixedOnBoth, observed } from './observed.js';

const v = (cqes: { user_data: number; res: number; flags: number }[], more: Partial<Verdict> = {}): Verdict => ({
  id: 'x', kind: 'pass', reason: '', rules: [],
  outcome: { status: 'exited', exitCode: 0, stdout: [], klog: [], findings: [], ms: 1 },
  report: { case: 'x', verdict: 'pass', divergence: null, skip_reason: null, submitted: [2], cqes: cqes.map((q, seq) => ({ ...q, seq })), mismatches: [] },
  ...more,
});

describe('comparing what two targets did', () => {
  const fixed = fixedOnBoth(
    { submitted: [2], order: [], cqes: [{ user_data: 1, res: { eq: 0 }, because: [] }, { user_data: 2, res: { one_of: [-4, -125] }, because: [] }] },
    { submitted: [2], order: [], cqes: [{ user_data: 1, res: { eq: 0 }, because: [] }, { user_data: 2, res: { eq: -125 }, because: [] }] },
  );

  it('finds nothing between the same observations, and ignores a value the spec leaves open', () => {
    const a = observed(v([{ user_data: 1, res: 0, flags: 0 }, { user_data: 2, res: -4, flags: 0 }]), fixed);
    const b = observed(v([{ user_data: 2, res: -125, flags: 0 }, { user_data: 1, res: 0, flags: 0 }]), fixed);
    expect(differences(a, b)).toEqual([]);
  });

  it('names a CQE that differs, one that is missing, a submit count and a finding', () => {
    const a = observed(v([{ user_data: 1, res: 0, flags: 0 }, { user_data: 2, res: -4, flags: 0 }]), fixed);
    const b = observed(v([{ user_data: 1, res: -22, flags: 0 }], {
      report: { case: 'x', verdict: 'fail', divergence: null, skip_reason: null, submitted: [1], cqes: [{ user_data: 1, res: -22, flags: 0, seq: 0 }], mismatches: [] },
      outcome: { status: 'exited', exitCode: 1, stdout: [], klog: [], findings: [{ kind: 'WARN', line: 'WARNING: x' }], ms: 1 },
    }), fixed);
    expect(differences(a, b)).toEqual([
      'submitted: [2] | [1]',
      'user_data 1: ["0/0x0"] | ["-22/0x0"]',
      'user_data 2: ["came/0x0"] | []',
      'findings: [] | ["WARN"]',
    ]);
  });
});
