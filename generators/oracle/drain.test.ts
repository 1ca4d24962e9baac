import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { parseCase } from '../../spec/case/parseCase.js';
import type { Case, Spec } from '../../spec/types.js';
import { predictWith } from './predict.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const rfc = spec.profiles['rfc-v1-6.12']!;
const load = (id: string) => parseCase(`cases/${id}.yaml`, readFileSync(`cases/${id}.yaml`, 'utf8'), spec);
const res = (c: Case, ud: number, s: Spec = spec, observed = false, p = host) =>
  predictWith(s, p, c, observed).expect.cqes.find((q) => q.user_data === ud)!.res;

/** The spec with chain.drain.stays-active switched off: drain mode ends as 6.12 ends it. */
function notSticky(s: Spec): Spec {
  return { ...s, chain: s.chain.map((r) => (r.id === 'chain.drain.stays-active' ? { ...r, value: false } : r)) };
}

describe('drain mode (chain.drain.stays-active)', () => {
  it('holds a request of the next submission behind a READ that waits, drained or not', () => {
    const c = load('drain/drain-mode-holds-next-submission');
    expect(res(c, 2)).toEqual({ pending: true });
    expect(res(c, 3)).toEqual({ pending: true });
    // switched off, the same case is a cancel that finds the READ: the switch is what holds it
    expect(res(c, 3, notSticky(spec))).toEqual({ eq: 0 });
    expect(res(c, 2, notSticky(spec))).toEqual({ eq: -125 });
  });

  it('is a divergence of 6.12, credited there', () => {
    const c = load('drain/drain-mode-holds-next-submission');
    const observed = predictWith(spec, rfc, c, true);
    expect(observed.divergences).toContain('v6.12.drain-not-sticky');
    expect(res(c, 3, spec, true, rfc)).toEqual({ eq: 0 });
  });

  it('is not credited to a case without a drain', () => {
    const c = load('async-cancel/cancels-waiting-read');
    expect(predictWith(spec, rfc, c, true).divergences).not.toContain('v6.12.drain-not-sticky');
  });

  it('starts a deferred cancel after the timer it waits for fired: the cancel finds nothing', () => {
    for (const id of ['drain/drained-cancel-after-timer-fired', 'drain/cancel-behind-drain-after-timer-fired']) {
      const c = load(id);
      const cancel = c.sqes.length;
      for (const p of [host, rfc]) {
        expect(res(c, 1, spec, false, p)).toEqual({ eq: -62 });
        expect(res(c, cancel, spec, false, p)).toEqual({ eq: -2 });
      }
    }
  });

  it('orders a deferred link after everything its submission consumed before it', () => {
    const c = load('drain/drain-waits-for-earlier');
    expect(predictWith(spec, host, c, false).expect.order).toEqual(expect.arrayContaining([[1, 3], [2, 3]]));
  });

  it('leaves it undetermined when drain mode may have ended and something waits', () => {
    // NOP(DRAIN) | NOP, READ of an empty pipe | NOP: the NOP of the second submission may end drain mode or not
    const c = load('drain/drain-mode-holds-next-submission');
    const maybe: Case = {
      ...c, batches: [1, 2, 1],
      sqes: [c.sqes[0]!, { op: 'NOP' }, c.sqes[1]!, { op: 'NOP' }],
    };
    expect(predictWith(spec, host, maybe, false).undetermined).toBe(true);
    const noWait: Case = { ...maybe, sqes: [c.sqes[0]!, { op: 'NOP' }, { op: 'NOP' }, { op: 'NOP' }] };
    expect(predictWith(spec, host, noWait, false).undetermined).toBe(false);
  });
});

describe('a link member after the head (chain.link.member-after-submission)', () => {
  it('leaves a cancel of a later request of its submission undetermined, not one of its own link', () => {
    // NOP -> ASYNC_CANCEL(3), then READ of an empty pipe: the cancel runs after the READ was armed, or not
    const later = {
      ...load('drain/drain-mode-holds-next-submission'),
      batches: undefined,
      ring: { entries: 8 }, fixtures: { p: { kind: 'pipe', bytes: 0 } },
      sqes: [
        { op: 'NOP', flags: ['IOSQE_IO_LINK'] },
        { op: 'ASYNC_CANCEL', fields: { addr: 3 } },
        { op: 'READ', fields: { fd: { fd: 'p' }, addr: { buf: 4 }, len: 4 } },
      ],
    } satisfies Case;
    expect(predictWith(spec, host, later, false).undetermined).toBe(true);
    // the head itself runs inline before the READ is consumed: it finds nothing
    const head: Case = { ...later, sqes: [later.sqes[1]!, later.sqes[0]!, later.sqes[2]!].map((q, i) => (i === 0 ? { ...q, fields: { addr: 3 } } : i === 1 ? { op: 'NOP' } : q)) } as Case;
    expect(predictWith(spec, host, head, false).undetermined).toBe(false);
    expect(res(head, 1)).toEqual({ eq: -2 });
    // a member of its own link is held, never issued: not found either way
    const own: Case = { ...later, sqes: [later.sqes[0]!, { ...later.sqes[1]!, flags: ['IOSQE_IO_HARDLINK'] }, { op: 'NOP' }] } as Case;
    expect(predictWith(spec, host, own, false).undetermined).toBe(false);
  });
});

describe('a drained request after a CQE that was never posted (chain.drain.counts-requests)', () => {
  const c = () => load('drain/skipped-link-cqe-holds-drain');
  it('starts it: the drain counts requests, not CQEs', () => {
    expect(res(c(), 2)).toEqual({ absent: true });
    expect(res(c(), 3)).toEqual({ eq: 0 });
    const countsCqes: Spec = { ...spec, chain: spec.chain.map((r) => (r.id === 'chain.drain.counts-requests' ? { ...r, value: false } : r)) };
    expect(res(c(), 3, countsCqes)).toEqual({ pending: true });
  });

  it('holds it for ever on 6.12, credited there and not where no CQE went missing', () => {
    expect(res(c(), 3, spec, true, rfc)).toEqual({ pending: true });
    expect(predictWith(spec, rfc, c(), true).divergences).toContain('v6.12.drain-counts-cqes');
    expect(predictWith(spec, rfc, load('drain/drain-waits-for-earlier'), true).divergences).not.toContain('v6.12.drain-counts-cqes');
  });
});

describe('a prep failure after a deferred drained request (chain.drain.counts-requests)', () => {
  const c = () => load('drain/prep-failure-after-deferred-drain');
  it('does not hold the drained request; 6.12 overshoots its CQ tail, so what follows is not computed there', () => {
    expect(res(c(), 2)).toEqual({ eq: 0 });
    expect(predictWith(spec, rfc, c(), false).unpredictable).toBe(false);
    const observed = predictWith(spec, rfc, c(), true);
    expect(observed.unpredictable).toBe(true);
    expect(observed.divergences).toContain('v6.12.drain-counts-cqes');
    // without the failure after it the drained NOP starts at the flush on 6.12 too
    const alone = { ...c(), sqes: c().sqes.slice(0, 2) };
    expect(predictWith(spec, rfc, alone, true).unpredictable).toBe(false);
  });
});

describe('ctx->drain_next on 6.12: a drained member inside a link drains the next link', () => {
  const c = () => load('drain/drain-next-after-skipped-link-cqe');
  it('holds the next link behind the lost CQE only when the member inside the link was drained', () => {
    expect(res(c(), 3)).toEqual({ eq: 0 });
    expect(res(c(), 3, spec, true, rfc)).toEqual({ pending: true });
    const plain = { ...c(), sqes: c().sqes.map((q, i) => (i === 1 ? { ...q, flags: [] } : q)) };
    expect(res(plain, 3, spec, true, rfc)).toEqual({ eq: 0 });
  });
});

describe('a drained request that waits after it started (6.12: off the defer list)', () => {
  const c = parseCase('cases/drain/x.yaml', [
    'description: d', 'rules: [chain.drain.waits]', 'provenance: { kind: hand-written }', 'ring: { entries: 4 }',
    'fixtures: { p: { kind: pipe } }', 'sqes:',
    '  - { op: POLL_ADD, flags: [IOSQE_IO_DRAIN], fields: { fd: { fd: p }, rw_flags: 1 } }',
    '  - { op: NOP }', 'batches: [1, 1]',
  ].join('\n'), spec);
  it('holds a later request by the intended rule, not on 6.12 (found by uringspec fuzz --target qemu --seed 66)', () => {
    expect(res(c, 1)).toEqual({ pending: true });
    expect(res(c, 2)).toEqual({ pending: true });
    expect(res(c, 1, spec, true, rfc)).toEqual({ pending: true });
    expect(res(c, 2, spec, true, rfc)).toEqual({ eq: 0 });
    expect(predictWith(spec, rfc, c, true).divergences).toContain('v6.12.drain-holds-later-only-when-deferred');
  });
});
