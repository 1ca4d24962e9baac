import { describe, expect, it } from 'vitest';
import type { OpSpec, OutcomeRule } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { issueResult } from './issue.js';
import { semantics } from './semantics.js';

const spec = loadSpec();
const s = semantics(spec, spec.profiles['upstream-6.18']!, false);

function op(outcome: Partial<OutcomeRule>): OpSpec {
  const rule = { id: 'x.issue.y', statement: 's', source: 's', when: true, res: 0, breaks_link: false, ...outcome } as OutcomeRule;
  return { ...spec.ops.NOP!, issue: [rule] };
}

describe('issueResult: REQ_F_FAIL comes from breaks_link alone', () => {
  it('a negative res with breaks_link false does not fail the request (an FSYNC -EINVAL on 6.18)', () => {
    expect(issueResult(s, op({ res: -22, breaks_link: false }), {}).failed).toBe(false);
  });
  it('a non-negative res with breaks_link true fails it (a short read)', () => {
    expect(issueResult(s, op({ res: 4, breaks_link: true }), {}).failed).toBe(true);
  });
  it('breaks_link sees the res it decides about', () => {
    const o = op({ res: 'sqe.len', breaks_link: 'res < 8' });
    expect(issueResult(s, o, { sqe: { len: 4 } }).failed).toBe(true);
    expect(issueResult(s, o, { sqe: { len: 8 } }).failed).toBe(false);
  });
  it('is undetermined when the results one_of allows disagree on breaking the link (a filesystem-dependent outcome)', () => {
    expect(issueResult(s, op({ res: -95, one_of: [-95, 4], breaks_link: 'res < 0' }), {}).undetermined).toBe(true);
    expect(issueResult(s, op({ res: -62, one_of: [-62, -125], breaks_link: false }), {}).undetermined).toBeUndefined();
  });
});
