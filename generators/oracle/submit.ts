import type { Case } from '../../spec/types.js';
import { userDataOf } from '../../spec/case/userData.js';
import { ctxFor, expectCqe, has, isLinked, type Engine, type Member } from './engine.js';
import { passesFlagChecks, prepResult, type PrepResult } from './prep.js';
import { evalBool } from '../../spec/expr.js';
import { decided, ruleRes, switchValue } from './semantics.js';
import { resolveRawOp, resolveResultOf } from './resultOf.js';
import { rawOpcode } from '../../spec/case/rawOp.js';
import { cancelsByKey, failLinkAtPrep, runLink } from './runLink.js';

/** spawn.multishot.rejected: a multishot request in a CLONE's link is refused at submission. */
function spawnPrep(e: Engine, head: Member | undefined, m: Member, ctx: Record<string, unknown>): PrepResult | undefined {
  if (!head?.op?.spawns || m.op?.multishot === undefined) return undefined;
  if (!evalBool(m.op.multishot, ctx, `${m.op.short}.multishot`)) return undefined;
  return switchValue(e.s, 'spawn.multishot.rejected') === true ? { res: ruleRes(e.s, 'spawn.multishot.rejected'), rule: 'spawn.multishot.rejected' } : undefined;
}

interface Assembling { members: Member[]; failed: boolean }

function queue(e: Engine, link: Assembling): void {
  // the switch is read only where a drain is involved, so that its divergence is credited only there
  const draining = drains(link) || e.drain.mode !== 'off' || e.drain.next;
  if (draining && switchValue(e.s, 'chain.drain.stays-active') === true) queueInDrainMode(e, link);
  else queueOnce(e, link);
  e.issued.push(...link.members.map((m) => m.ud));
}

/** 6.12's draining (v6.12.drain-not-sticky): only a drained request and what queues behind it wait. */
function queueOnce(e: Engine, link: Assembling): void {
  // chain.drain.active-forces-async: io_init_req() arms drain mode (io_init_drain(), even for a member whose own
  // prep fails later) before it marks the request REQ_F_FORCE_ASYNC while drain mode is on
  // ctx->drain_next from the link before: its head is drained (REQ_F_IO_DRAIN | REQ_F_FORCE_ASYNC) when it gets
  // past the flag checks
  const drainedByLast = e.drainNext && drainArmedAt(e, link.members[0]!);
  if (drainedByLast) e.drainNext = false;
  for (const [i, m] of link.members.entries()) {
    if (drainArmed(e, m)) {
      e.drainActive = true;
      // io_init_drain() inside a link: the next link is drained too (ctx->drain_next)
      if (i > 0) e.drainNext = true;
    }
    if (e.drainActive || (i === 0 && drainedByLast)) m.forceAsync = true;
  }
  if (drainedByLast) e.drainActive = true;
  // io_queue_sqe_fallback() -> io_drain_req(): a link that is not deferred ends drain mode there
  const throughDrain = !link.failed && e.drainActive && link.members[0]!.forceAsync === true;
  if (link.failed) {
    // a drained link that failed at prep while a request waits: the host holds what follows behind a waiting POLL_ADD
    // but not behind a waiting READ (6.18); the spec does not say which, so generators leave it out
    if (drains(link) && e.issued.some((ud) => 'pending' in (e.cqes.get(ud)?.res ?? {}))) e.undetermined = true;
    // chain.drain.counts-requests switched off: the CQEs of a link failed at submission (never deferred) come before
    // a drained link still on the defer list, so a CQ tail compared for equality overshoots it; what the drained
    // link and the requests queued behind it do then is not computed
    if (e.drainDeferred && switchValue(e.s, 'chain.drain.counts-requests') === false) e.unpredictable = true;
    failLinkAtPrep(e, link.members);
  }
  else if (drains(link) || drainedByLast || e.drainBlocked) {
    // req_need_defer(): the CQ tail has not caught up, also while CQEs of this submission wait for its flush
    const earlier = e.submission.consumed.some((ud) => ud < link.members[0]!.ud);
    if (drainLink(e, link.members) || earlier) e.drainDeferred = true;
    else if (throughDrain) e.drainActive = false;
  } else {
    // a request that needs no drain is deferred only behind a non-empty defer list
    if (throughDrain && !e.drainDeferred) e.drainActive = false;
    runLink(e, link.members, e.world.submitter);
    for (const before of e.drainFence) e.order.push([before, link.members[0]!.ud]);
  }
}

const isPending = (e: Engine, ud: number) => 'pending' in (e.cqes.get(ud)?.res ?? {});
const posts = (e: Engine, ud: number) => { const r = e.cqes.get(ud)?.res; return r !== undefined && !('pending' in r) && !('absent' in r); };

/** Whether an IOSQE_IO_DRAIN member got as far as io_init_drain(): past the io_init_req() checks before it. */
function drainArmed(e: Engine, m: Member): boolean {
  return has(m, 'IOSQE_IO_DRAIN') && drainArmedAt(e, m);
}

/** Whether a member got past the io_init_req() checks before io_init_drain() (and the drain_next block after it). */
function drainArmedAt(e: Engine, m: Member): boolean {
  if (!m.prep) return true;
  const upTo = e.s.spec.init.findIndex((r) => r.id === 'init.drain.disabled-by-skip-success');
  const at = e.s.spec.init.findIndex((r) => r.id === m.prep!.rule);
  return at < 0 || at > upTo;
}

/**
 * chain.drain.stays-active (6.18): once a drain was armed every link is deferred until drain mode ends; a
 * deferred link starts once every request in flight completed (what this submission consumed before it, and
 * whatever still waits), or with the waiting link ahead of it when neither is drained.
 */
function queueInDrainMode(e: Engine, link: Assembling): void {
  const st = e.drain;
  const head = link.members[0]!;
  const drained = drains(link) || st.next;
  // drain mode when the link's first member is initialised (ctx->drain_next turns it on there)
  const onAtInit = st.mode === 'on' || st.next;
  const armed = link.members.map((m) => drainArmed(e, m));
  // io_init_drain() inside a link: the next link is drained too (ctx->drain_next)
  st.next = armed.slice(1).some(Boolean);
  if (armed.some(Boolean)) st.mode = 'on';
  if (link.failed) {
    // failed during submission: io_queue_sqe_fallback() -> io_req_defer_failed(), never deferred
    if (drains(link) && e.issued.some((ud) => isPending(e, ud))) e.undetermined = true;
    failLinkAtPrep(e, link.members);
    return;
  }
  if (st.mode === 'off') {
    runLink(e, link.members, e.world.submitter);
    return;
  }
  const inFlight = [...e.submission.consumed.slice(0, e.submission.consumed.indexOf(head.ud)), ...e.issued.filter((ud) => isPending(e, ud) && !e.submission.consumed.includes(ud))];
  if (st.mode === 'maybe' && !drained) {
    // drain mode may have ended (an earlier request freed) or not: deferred behind what never completes, or not
    if (e.drainBlocked || inFlight.some((ud) => isPending(e, ud))) e.undetermined = true;
    // and REQ_F_FORCE_ASYNC or not decides whether an io-wq worker arms a LINK_TIMEOUT of a link left open
    if (isLinked(link.members.at(-1)!) && link.members.some((m) => m.op?.links_to_previous)) e.undetermined = true;
    runLink(e, link.members, e.world.submitter);
    return;
  }
  if (drained) st.mode = 'on';
  // every member initialised in drain mode, and the head of a drained link, is REQ_F_FORCE_ASYNC
  const firstArmed = armed.indexOf(true);
  link.members.forEach((m, i) => { if (onAtInit || i === 0 || (firstArmed >= 0 && i >= firstArmed)) m.forceAsync = true; });
  const g = st.group;
  const joins = g !== undefined && !drained && !g.drainHead;
  const waitsFor = joins ? g.waitsFor : inFlight;
  if (e.drainBlocked || waitsFor.some((ud) => isPending(e, ud))) {
    e.drainBlocked = true;
    for (const m of link.members) expectCqe(e, m.ud, { pending: true }, ['chain.drain.stays-active']);
    return;
  }
  if (drained && countsLostCqe(e)) {
    e.drainBlocked = true;
    for (const m of link.members) expectCqe(e, m.ud, { pending: true }, ['chain.drain.stays-active', 'chain.drain.counts-requests']);
    return;
  }
  // started with the waiting link ahead of it: a cancel in either races what the other does
  const cancels = link.members.some((m) => cancelsByKey(m));
  if (joins && (cancels || g.cancels)) e.undetermined = true;
  completeAwaited(e, waitsFor);
  const before = new Set(e.pending.keys());
  runLink(e, link.members, e.world.submitter);
  // issued from io-wq (REQ_F_FORCE_ASYNC): a later cancel may come before it is armed
  for (const [ud, p] of e.pending) if (!before.has(ud)) p.racy = true;
  for (const ud of waitsFor) if (posts(e, ud)) e.order.push([ud, head.ud]);
  decided(e.s, 'chain.drain.stays-active');
  if (joins) return;
  if (waitsFor.length) st.group = { drainHead: drained, waitsFor, cancels };
  else {
    // it started at once: a drained one keeps drain mode on, another ends it unless an earlier request is not freed yet
    st.group = undefined;
    if (!drained) st.mode = 'maybe';
  }
}

/**
 * A deferred link starts only after what it waits for completed: an armed timer has fired by then and a request
 * still on its way through io-wq has ended, so a cancel in the link no longer finds them.
 */
function completeAwaited(e: Engine, waitsFor: number[]): void {
  for (const ud of waitsFor) if (!isPending(e, ud)) e.pending.delete(ud);
}

const drains = (link: Assembling) => link.members.some((m) => (m.sqe.flags ?? []).includes('IOSQE_IO_DRAIN'));

/**
 * chain.drain.counts-requests switched off: a request issued before whose CQE was never posted leaves the CQ tail
 * short for ever, so a drained link never starts. The switch is read only then, so that a divergence that counts
 * CQEs is credited only there.
 */
function countsLostCqe(e: Engine): boolean {
  return e.issued.some((ud) => 'absent' in (e.cqes.get(ud)?.res ?? {})) && switchValue(e.s, 'chain.drain.counts-requests') === false;
}

/**
 * chain.drain.waits: the link starts after everything before it completed; if something never does, neither does it.
 * Returns whether io_drain_req() deferred it (it had to wait), which keeps 6.12's drain mode on.
 */
function drainLink(e: Engine, members: Member[]): boolean {
  const waitsForever = e.drainBlocked || e.issued.some((ud) => 'pending' in (e.cqes.get(ud)?.res ?? {}));
  if (waitsForever) {
    e.drainBlocked = true;
    for (const m of members) expectCqe(e, m.ud, { pending: true }, ['chain.drain.waits']);
    return true;
  }
  if (countsLostCqe(e)) {
    e.drainBlocked = true;
    for (const m of members) expectCqe(e, m.ud, { pending: true }, ['chain.drain.waits', 'chain.drain.counts-requests']);
    return true;
  }
  const hadToWait = e.issued.some((ud) => e.completesLater.has(ud));
  completeAwaited(e, e.issued);
  runLink(e, members, e.world.submitter);
  for (const before of e.issued) if (!('absent' in (e.cqes.get(before)?.res ?? {}))) e.order.push([before, members[0]!.ud]);
  // chain.drain.waits: a drained link that waits holds every request submitted after it. 6.12 holds them only from
  // the defer list, which it leaves when it starts: once it waits it is in flight like any request, later drained
  // requests wait for it (e.issued above) and the others do not (found by uringspec fuzz --target qemu --seed 66:
  // POLL_ADD(DRAIN) waiting, then an ASYNC_CANCEL(LINK) left open found it)
  if (members.some((m) => 'pending' in (e.cqes.get(m.ud)?.res ?? {})) && switchValue(e.s, 'chain.drain.waits') === true) e.drainBlocked = true;
  // nothing submitted after a drained link starts before it completes (6.12: only if it was deferred itself)
  if (hadToWait || switchValue(e.s, 'chain.drain.waits') === true) {
    e.drainFence = members.filter((m) => !('absent' in (e.cqes.get(m.ud)?.res ?? {}))).map((m) => m.ud);
  } else {
    e.drainFence = [];
  }
  return hadToWait;
}

/**
 * One io_uring_enter(): consumes SQEs from the SQ in order, preps each, assembles links and issues each
 * link as soon as it is complete, as io_submit_sqes() does. Returns how many SQEs it consumed.
 */
export function submitBatch(e: Engine, c: Case, sq: number[]): number {
  let link: Assembling | undefined;
  let consumed = 0;
  const flags = c.ring.flags ?? [];
  const sqpoll = flags.includes('IORING_SETUP_SQPOLL'); // chain.sqpoll.consumes-all
  const submitAll = sqpoll || flags.includes('IORING_SETUP_SUBMIT_ALL');
  e.submission = { queued: new Set(sq.map((i) => userDataOf(c, i))), consumed: [] };
  // a link deferred by an earlier submission that still waits never starts (e.drainBlocked); the others have
  if (!e.drainBlocked) e.drain.group = undefined;
  e.drainDeferred = e.drainBlocked;
  for (const index of sq) {
    consumed++;
    const ud = userDataOf(c, index);
    e.submission.consumed.push(ud);
    const sqe = resolveRawOp(e, resolveResultOf(e, c.sqes[index]!));
    const raw = rawOpcode(sqe.op);
    const m: Member = { ud, sqe, op: e.s.spec.ops[sqe.op], ...(raw !== undefined ? { opcode: raw } : {}) };
    const ctx = ctxFor(e, m, e.world.submitter, { in_link: link !== undefined, has_next: false, prev_op: link?.members.at(-1)?.op?.short ?? '' });
    const prep = prepResult(e.s, m.op, ctx) ?? spawnPrep(e, link?.members[0], m, ctx);
    if (ctx.sqe && (ctx.sqe as { skip_success: boolean }).skip_success && passesFlagChecks(e.s, ctx)) e.ring.drain_disabled = true;
    if (prep) m.prep = prep;

    if (link) link.members.push(m);
    else link = { members: [m], failed: false };
    if (prep) link.failed = true;

    if (!isLinked(m)) {
      queue(e, link);
      link = undefined;
      if (prep && !submitAll) break;
    }
  }
  if (link) {
    // chain.link.last-in-batch: io_submit_state_end() -> io_queue_sqe_fallback() -> io_queue_iowq()
    link.members[0]!.iowq = true;
    queue(e, link);
  }
  // a timer still armed is found by a cancel of this submission only: the next one comes after its CQE (settle)
  // but settle does not wait for a CQE that is not posted (IOSQE_CQE_SKIP_SUCCESS): such a request may still be
  // running, or queued in io-wq, when the next submission looks for it
  for (const [ud, p] of e.pending) {
    if (!(p.timer || p.transient)) continue;
    if ('absent' in (e.cqes.get(ud)?.res ?? {})) p.racy = true;
    else e.pending.delete(ud);
  }
  return consumed;
}
