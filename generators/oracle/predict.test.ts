import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Case, CqeExpect } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { linkedChain } from '../linkedChain.js';
import { predict, predictWith } from './predict.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;
const hostCases = linkedChain(spec, host);
const spawnCases = linkedChain(spec, rfc, { spawn: true });

const byUd = (cqes: CqeExpect[]) => new Map(cqes.map((q) => [q.user_data, q]));
const linked = (c: Case, i: number) => (c.sqes[i]!.flags ?? []).some((f) => f === 'IOSQE_IO_LINK' || f === 'IOSQE_IO_HARDLINK');
const isFailure = (q: CqeExpect | undefined) => q !== undefined && 'eq' in q.res && q.res.eq < 0;

describe('oracle properties', () => {
  test.prop([fc.oneof(hostCases, spawnCases)], { numRuns: 300 })('is total: one expectation per SQE, each citing known rules', (c) => {
    const profile = (c.flags ?? []).includes('vm-only') ? rfc : host;
    const e = predict(spec, profile, c);
    // a CQE posted for no SQE (MSG_RING's message) names the SQE that posted it
    expect(e.cqes.filter((q) => q.posted_by === undefined).map((q) => q.user_data)).toEqual(c.sqes.map((_, i) => i + 1));
    for (const q of e.cqes.filter((x) => x.posted_by !== undefined)) {
      expect(c.sqes[q.posted_by! - 1], `posted by ${q.posted_by}`).toBeDefined();
      expect(q.user_data > c.sqes.length, `user_data ${q.user_data}`).toBe(true);
    }
    for (const q of e.cqes) {
      expect(q.because.length).toBeGreaterThan(0);
      for (const id of q.because) expect(spec.rules.has(id), id).toBe(true);
    }
    expect(e.submitted).toHaveLength((c.batches ?? [c.sqes.length]).length);
    expect(e.submitted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(c.sqes.length);
  });

  test.prop([hostCases], { numRuns: 200 })('is deterministic', (c) => {
    expect(predict(spec, host, c)).toEqual(predict(spec, host, structuredClone(c)));
  });

  test.prop([hostCases], { numRuns: 300 })('a prep failure leaves no member of its link with a success', (c) => {
    const e = byUd(predict(spec, host, c).cqes);
    const batchEnds = new Set((c.batches ?? [c.sqes.length]).map((_, k, all) => all.slice(0, k + 1).reduce((a, b) => a + b, 0) - 1));
    let start = 0;
    for (let i = 0; i < c.sqes.length; i++) {
      if (linked(c, i) && !batchEnds.has(i)) continue;
      const members = Array.from({ length: i - start + 1 }, (_, k) => start + k + 1);
      const prepFailed = members.some((ud) => e.get(ud)!.because.includes('chain.prep-failure.fails-link'));
      if (prepFailed) {
        for (const ud of members) {
          const q = e.get(ud)!;
          expect('absent' in q.res || isFailure(q), `ud ${ud}: ${JSON.stringify(q)}`).toBe(true);
        }
      }
      start = i + 1;
    }
  });

  test.prop([hostCases], { numRuns: 300 })('after a failing member without HARDLINK, the rest of its link is cancelled', (c) => {
    const e = byUd(predict(spec, host, c).cqes);
    for (const [ud, q] of e) {
      if (!q.because.includes('chain.link.failure-cancels-rest')) continue;
      expect('absent' in q.res || ('eq' in q.res && q.res.eq === -125), `ud ${ud}`).toBe(true);
    }
  });

  test.prop([hostCases], { numRuns: 300 })('CQE_SKIP_SUCCESS suppresses exactly the successes that carry it', (c) => {
    const e = predict(spec, host, c);
    for (const q of e.cqes) {
      if (q.posted_by !== undefined) continue;
      const sqe = c.sqes[q.user_data - 1]!;
      if ('eq' in q.res && q.res.eq >= 0 && !(sqe.flags ?? []).includes('IOSQE_CQE_SKIP_SUCCESS')) expect(q.because).not.toContain('chain.skip-success.success');
      if ((sqe.flags ?? []).includes('IOSQE_CQE_SKIP_SUCCESS') && isFailure(q)) expect(q.res).not.toHaveProperty('absent');
    }
  });

  test.prop([hostCases], { numRuns: 200 })('a NOP submitted afterwards, alone, changes nothing before it', (c) => {
    const before = predict(spec, host, c);
    const batches = c.batches ?? [c.sqes.length];
    const after = predict(spec, host, { ...c, sqes: [...c.sqes, { op: 'NOP' }], batches: [...batches, 1] });
    const nop = c.sqes.length + 1;
    const tail = after.cqes.find((q) => q.user_data === nop)!;
    if (before.cqes.some((q) => 'absent' in q.res && q.because.includes('chain.submit.leftover'))) return;
    // behind a drain (6.18: drain mode stays on while what came before is in flight) the NOP may wait too
    if (tail.because.includes('chain.drain.waits') || tail.because.includes('chain.drain.stays-active')) return;
    expect(after.cqes.filter((q) => q.user_data !== nop)).toEqual(before.cqes);
    expect(tail.res).toEqual({ eq: 0 });
  });

  test.prop([spawnCases], { numRuns: 200 })('a spawned task ends exactly one way, and only an EXEC success makes it exec', (c) => {
    const e = predict(spec, rfc, c);
    for (const t of e.spawn?.tasks ?? []) {
      const head = c.sqes[t.head - 1]!;
      expect(head.op).toBe('CLONE');
      if (t.outcome === 'exec') {
        const execOk = e.cqes.some((q) => c.sqes[q.user_data - 1]?.op === 'EXEC' && q.because.includes('spawn.member.in-order') && 'eq' in q.res && q.res.eq === 0);
        expect(execOk).toBe(true);
      }
    }
  });
});

describe('oracle examples from the kernel source', () => {
  const nop = (extra: object = {}) => ({ op: 'NOP', ...extra });
  const base = (sqes: Case['sqes'], more: Partial<Case> = {}): Case => ({ description: 'x', rules: ['chain.cqe.match-by-user-data'], provenance: { kind: 'hand-written' }, ring: { entries: 8 }, sqes, ...more });

  it('a prep failure in the middle of a hardlinked chain fails all of it; submission goes on after the link', () => {
    const c = base([nop({ flags: ['IOSQE_IO_HARDLINK'] }), nop({ flags: ['IOSQE_IO_HARDLINK'], fields: { rw_flags: 64 } }), nop(), nop()]);
    const e = predict(spec, host, c);
    expect(e.submitted).toEqual([4]);
    expect(e.cqes.map((q) => q.res)).toEqual([{ eq: -125 }, { eq: -22 }, { eq: -125 }, { eq: 0 }]);
  });

  it('a prep failure of the SQE that ends its link stops the submission after it', () => {
    const c = base([nop({ flags: ['IOSQE_IO_LINK'] }), nop({ fields: { rw_flags: 64 } }), nop()]);
    const e = predict(spec, host, c);
    expect(e.submitted).toEqual([2]);
    expect(e.cqes.map((q) => q.res)).toEqual([{ eq: -125 }, { eq: -22 }, { absent: true }]);
  });

  it('with every member skipping successes, only the failing member posts (liburing skip-cqe.c)', () => {
    const skip = ['IOSQE_IO_LINK', 'IOSQE_CQE_SKIP_SUCCESS'];
    const c = base([nop({ flags: skip }), nop({ flags: skip, fields: { rw_flags: 1, len: 4294967291 } }), nop({ flags: ['IOSQE_CQE_SKIP_SUCCESS'] })]);
    expect(predict(spec, host, c).cqes.map((q) => q.res)).toEqual([{ absent: true }, { eq: -5 }, { absent: true }]);
  });

  it('a short pipe read breaks its link; a hardlink carries on', () => {
    const fixtures = { p: { kind: 'pipe' as const, bytes: 2 } };
    const read = (flag: string) => ({ op: 'READ', flags: [flag], fields: { fd: { fd: 'p' }, addr: { buf: 4 }, len: 4 } });
    expect(predict(spec, host, base([read('IOSQE_IO_LINK'), nop()], { fixtures })).cqes.map((q) => q.res)).toEqual([{ eq: 2 }, { eq: -125 }]);
    expect(predict(spec, host, base([read('IOSQE_IO_HARDLINK'), nop()], { fixtures })).cqes.map((q) => q.res)).toEqual([{ eq: 2 }, { eq: 0 }]);
  });

  it('the RFC tree differs from the intended rule for a TIMEOUT inside a spawn chain', () => {
    const c = base([
      { op: 'CLONE', flags: ['IOSQE_IO_LINK'] },
      { op: 'TIMEOUT', flags: ['IOSQE_IO_LINK'], fields: { addr: { timespec: { sec: 0, nsec: 5_000_000 } }, len: 1 } },
      { op: 'EXEC', fields: { fd: -100, addr: { path: 'h' } } },
    ], { fixtures: { h: { kind: 'exec-helper' } } });
    const intended = predictWith(spec, rfc, c, false);
    const observed = predictWith(spec, rfc, c, true);
    expect(intended.expect.cqes[2]!.res).toEqual({ eq: -125 });
    expect(intended.expect.spawn!.tasks[0]!.outcome).toBe('killed');
    expect(observed.expect.cqes[2]!.res).toEqual({ min: -2147483648 }); // rfc-v1.exec-res-not-set: any res, but it runs
    expect(observed.expect.spawn!.tasks[0]!.outcome).toBe('exec');
    expect(observed.divergences).toContain('rfc-v1.deferred-member-does-not-wait');
  });
});

describe('a prediction is made once per spec, profile and case', () => {
  const nop: Case = { description: 'd', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 4 }, sqes: [{ op: 'NOP' }] };

  it('gives the same prediction again, and a planted other spec its own', () => {
    const first = predictWith(spec, host, nop, false);
    expect(predictWith(spec, host, nop, false)).toBe(first);
    // without divergences the profile's tree is predicted to do what the spec intends
    if (!host.divergences?.length) expect(predictWith(spec, host, nop, true)).toBe(first);
    const planted = structuredClone(spec);
    const success = planted.ops.NOP!.issue.find((r) => r.id === 'nop.issue.success')!;
    success.res = 7;
    expect(first.expect.cqes[0]!.res).toEqual({ eq: 0 });
    expect(predictWith(planted, planted.profiles['upstream-6.18']!, nop, false).expect.cqes[0]!.res).toEqual({ eq: 7 });
  });
});
