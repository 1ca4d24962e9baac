import { describe, expect, it } from 'vitest';
import type { Case, Spec } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { predictWith } from './predict.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const base = { description: 'd', rules: ['chain.link.failure-cancels-rest'], provenance: { kind: 'hand-written' as const }, ring: { entries: 8 } };
const inject = (res: number) => ({ op: 'NOP', flags: ['IOSQE_IO_LINK'], fields: { rw_flags: spec.ring.constants.IORING_NOP_INJECT_RESULT!, len: res } });

/** The spec with one chain rule's res replaced: the oracle must take it from there. */
function withChainRes(id: string, res: string): Spec {
  return { ...spec, chain: spec.chain.map((r) => (r.id === id ? { ...r, res } : r)) };
}
const resOf = (s: Spec, c: Case, ud: number) => predictWith(s, host, c, false).expect.cqes.find((q) => q.user_data === ud)!.res;

describe('the res of a chain rule comes from the YAML', () => {
  it('a member a failure cancels completes with chain.link.failure-cancels-rest\'s res', () => {
    const c: Case = { ...base, sqes: [inject(-5), { op: 'NOP' }] };
    expect(resOf(spec, c, 2)).toEqual({ eq: -spec.ring.errno.ECANCELED! });
    expect(resOf(withChainRes('chain.link.failure-cancels-rest', '-EINTR'), c, 2)).toEqual({ eq: -spec.ring.errno.EINTR! });
  });

  it('a member of a link failed at prep completes with chain.prep-failure.fails-link\'s res', () => {
    const c: Case = { ...base, sqes: [{ op: 'NOP', flags: ['IOSQE_IO_LINK', 'IOSQE_UNKNOWN_BIT7'] }, { op: 'NOP' }] };
    expect(resOf(spec, c, 2)).toEqual({ eq: -spec.ring.errno.ECANCELED! });
    expect(resOf(withChainRes('chain.prep-failure.fails-link', '-EINTR'), c, 2)).toEqual({ eq: -spec.ring.errno.EINTR! });
  });
});
