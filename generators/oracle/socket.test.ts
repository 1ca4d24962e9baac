import { describe, expect, it } from 'vitest';
import type { Case, CqeExpect, Expectation } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { predict } from './predict.js';
import { initWorld, streamFacts } from './world.js';

// the oracle's model of a socketpair: two byte streams, what one end sends is read at the other
// (c-templates/socketpair.host.test.ts runs these predictions on the host, with planted wrong observations)
const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;

const base = { description: 'd', rules: [], provenance: { kind: 'hand-written' as const }, ring: { entries: 8 } };
const res = (e: Expectation, ud: number): CqeExpect => e.cqes.find((q) => q.user_data === ud)!;

/** SEND 5 bytes on the case's end, then RECV 16 on the peer, then RECV 16 on the case's end (nothing was sent to it). */
const sendThenRecv: Case = {
  ...base, fixtures: { s: { kind: 'socketpair' } },
  sqes: [
    { op: 'SEND', flags: ['IOSQE_IO_LINK'], fields: { fd: { fd: 's' }, addr: { buf: 5 }, len: 5 } },
    { op: 'RECV', fields: { fd: { fd: 's', end: 'w' }, addr: { buf: 16 }, len: 16 } },
    { op: 'RECV', fields: { fd: { fd: 's' }, addr: { buf: 16 }, len: 16 } },
  ],
};

describe("the oracle's socketpair model", () => {
  it('has a stream each way: the fixture bytes are readable at fd, none at fd.w; a closed peer leaves fd no writer and no reader', () => {
    const w = initWorld({ ...base, fixtures: { s: { kind: 'socketpair', bytes: 7 } }, sqes: [] }, spec.fixtures);
    expect(streamFacts(w, 's', 'r')).toEqual({ avail: 7, writers: 1, readers: 1 });
    expect(streamFacts(w, 's', 'w')).toEqual({ avail: 0, writers: 1, readers: 1 });
    const closed = initWorld({ ...base, fixtures: { s: { kind: 'socketpair', peer_closed: true } }, sqes: [] }, spec.fixtures);
    expect(streamFacts(closed, 's', 'r')).toEqual({ avail: 0, writers: 0, readers: 0 });
  });

  it('a SEND on one end makes its bytes readable at the other end only', () => {
    const e = predict(spec, host, sendThenRecv);
    expect(res(e, 1).res).toEqual({ eq: 5 });
    expect(res(e, 2).res).toEqual({ eq: 5 });
    expect(res(e, 3).res).toEqual({ pending: true });
  });

  it('a RECV waiting on an empty end is woken by a later SEND from the peer', () => {
    const c: Case = {
      ...base, fixtures: { s: { kind: 'socketpair' } },
      sqes: [
        { op: 'RECV', fields: { fd: { fd: 's' }, addr: { buf: 8 }, len: 8 } },
        { op: 'SEND', fields: { fd: { fd: 's', end: 'w' }, addr: { buf: 3 }, len: 3 } },
      ],
    };
    expect(predict(spec, host, c).cqes.map((q) => q.res)).toEqual([{ eq: 3 }, { eq: 3 }]);
  });

  it('a RECV that leaves bytes queued has IORING_CQE_F_SOCK_NONEMPTY on 6.18, not on 6.12', () => {
    const c: Case = { ...base, fixtures: { s: { kind: 'socketpair', bytes: 8 } }, sqes: [{ op: 'RECV', fields: { fd: { fd: 's' }, addr: { buf: 4 }, len: 4 } }] };
    expect(predict(spec, host, c).cqes[0]!.flags).toBe(4);
    expect(predict(spec, rfc, c).cqes[0]!.flags).toBe(0);
  });
});

describe('the stream model fact decides', () => {
  it('a planted simplex socketpair (a pipe model) would not let the peer read what the case end sent', () => {
    const planted = structuredClone(spec);
    planted.fixtures.kinds.socketpair!.model.stream = 'simplex';
    const p = planted.profiles['upstream-6.18']!;
    const e = predict(planted, p, sendThenRecv);
    expect(res(e, 2).res).not.toEqual(res(predict(spec, host, sendThenRecv), 2).res);
  });
});
