import { describe, expect, it } from 'vitest';
import type { Case } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { predict, predictWith } from './predict.js';

// The post_cqe effect (MSG_RING's message to the case's own ring) in the oracle: a CQE keyed by off, res len,
// posted_by the request; an order only where the kernel posts it at issue; none when the request fails.
const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;
const base = { description: 'd', rules: [], provenance: { kind: 'hand-written' as const }, ring: { entries: 8 }, fixtures: { r: { kind: 'own-ring' } } };
const msg = (off: number, len: number, extra: Record<string, number> = {}, flags: string[] = []) =>
  ({ op: 'MSG_RING', ...(flags.length ? { flags } : {}), fields: { fd: { fd: 'r' }, off, len, ...extra } });
const at = (c: Case, ud: number, p = host) => predict(spec, p, c).cqes.find((q) => q.user_data === ud);

describe('MSG_RING in the oracle', () => {
  it('posts the message under off with res len as s32, after which the request\'s CQE comes', () => {
    const c: Case = { ...base, sqes: [msg(4660, 4294967294)] };
    const e = predict(spec, host, c);
    expect(e.cqes.map((q) => [q.user_data, q.res, q.posted_by])).toEqual([[1, { eq: 0 }, undefined], [4660, { eq: -2 }, 1]]);
    expect(e.order).toEqual([[4660, 1]]);
  });

  it('promises no order on a DEFER_TASKRUN ring (task work), and promises it on IOPOLL (io-wq posts it before completing)', () => {
    const defer: Case = { ...base, ring: { entries: 8, flags: ['IORING_SETUP_SINGLE_ISSUER', 'IORING_SETUP_DEFER_TASKRUN'] }, sqes: [msg(4660, 1)] };
    expect(predict(spec, host, defer).order).toEqual([]);
    expect(at(defer, 4660)?.res).toEqual({ eq: 1 });
    const iopoll: Case = { ...base, ring: { entries: 8, flags: ['IORING_SETUP_IOPOLL'] }, sqes: [msg(4660, 1)] };
    expect(predict(spec, host, iopoll).order).toEqual([[4660, 1]]);
  });

  it('posts nothing when the request fails; CQE_SKIP_SUCCESS drops only its own CQE (and the order with it)', () => {
    const c: Case = { ...base, sqes: [msg(4660, 1, { rw_flags: 1 }), msg(4661, 1, {}, ['IOSQE_CQE_SKIP_SUCCESS'])] };
    const e = predict(spec, host, c);
    expect(e.cqes.map((q) => q.user_data)).toEqual([1, 2, 4661]);
    expect(at(c, 2)?.res).toEqual({ absent: true });
    expect(e.order).toEqual([]);
  });

  it('a message whose user_data an SQE has is undetermined (the match would depend on arrival order)', () => {
    const c: Case = { ...base, sqes: [msg(2, 1), { op: 'NOP' }] };
    expect(predictWith(spec, host, c, false).undetermined).toBe(true);
    expect(predictWith(spec, host, { ...c, sqes: [msg(3, 1), { op: 'NOP' }] }, false).undetermined).toBe(false);
  });

  it('guarded by a LINK_TIMEOUT it may win or lose: whether the message comes is undetermined (uringspec fuzz --target host --seed 104, path 242)', () => {
    const lt = { op: 'LINK_TIMEOUT', flags: ['IOSQE_ASYNC'], fields: { addr: { timespec: { sec: 0, nsec: 1_000_000 } }, len: 1 } };
    const c: Case = { ...base, sqes: [msg(1000000, 1, {}, ['IOSQE_IO_LINK', 'IOSQE_ASYNC']), lt] };
    expect(predictWith(spec, host, c, false).undetermined).toBe(true);
    expect(predictWith(spec, host, { ...c, sqes: [msg(1000000, 1, {}, ['IOSQE_ASYNC'])] }, false).undetermined).toBe(false);
  });

  it('in a spawn chain: posted by the task on a plain ring; on an IOPOLL ring the -EAGAIN stands and cancels (no message)', () => {
    const chain = (flags: string[]): Case => ({
      ...base, flags: ['vm-only'], ring: { entries: 8, flags },
      sqes: [{ op: 'CLONE', flags: ['IOSQE_IO_LINK'] }, msg(4660, 3)],
    });
    const plain = predict(spec, rfc, chain([]));
    expect(plain.cqes.find((q) => q.user_data === 4660)).toMatchObject({ res: { eq: 3 }, posted_by: 2 });
    const iopoll = predict(spec, rfc, chain(['IORING_SETUP_IOPOLL']));
    expect(iopoll.cqes.find((q) => q.user_data === 2)?.res).toEqual({ eq: -125 });
    expect(iopoll.cqes.some((q) => q.user_data === 4660)).toBe(false);
  });

  it('the request after a spawn chain takes a user_data no message has', () => {
    const c: Case = { ...base, flags: ['vm-only'], sqes: [{ op: 'CLONE', flags: ['IOSQE_IO_LINK'] }, msg(3, 1)] };
    const e = predict(spec, rfc, c);
    expect(e.cqes.some((q) => q.user_data === 3 && q.posted_by === 2)).toBe(true);
    expect(e.submitter?.ring_after?.user_data).toBe(4);
  });
});
