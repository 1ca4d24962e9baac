import type { Case } from '../../spec/types.js';
import { ctxFor, errno, expectCqe, isLinked, type Engine, type Member } from './engine.js';
import { passesFlagChecks, prepResult, type PrepResult } from './prep.js';
import { evalBool } from '../../spec/expr.js';
import { switchValue } from './semantics.js';
import { failLinkAtPrep, runLink } from './runLink.js';

/** spawn.multishot.rejected: a multishot request in a CLONE's link is refused at submission. */
function spawnPrep(e: Engine, head: Member | undefined, m: Member, ctx: Record<string, unknown>): PrepResult | undefined {
  if (!head?.op?.spawns || m.op?.multishot === undefined) return undefined;
  if (!evalBool(m.op.multishot, ctx, `${m.op.short}.multishot`)) return undefined;
  return switchValue(e.s, 'spawn.multishot.rejected') === true ? { res: errno(e, 'EINVAL'), rule: 'spawn.multishot.rejected' } : undefined;
}

interface Assembling { members: Member[]; failed: boolean }

function queue(e: Engine, link: Assembling): void {
  if (link.failed) {
    // a drained link that failed at prep while a request waits: the host holds what follows behind a waiting POLL_ADD
    // but not behind a waiting READ (6.18); the spec does not say which, so generators leave it out
    if (drains(link) && e.issued.some((ud) => 'pending' in (e.cqes.get(ud)?.res ?? {}))) e.undetermined = true;
    failLinkAtPrep(e, link.members);
  }
  else if (drains(link) || e.drainBlocked) drainLink(e, link.members);
  else {
    runLink(e, link.members, e.world.submitter);
    for (const before of e.drainFence) e.order.push([before, link.members[0]!.ud]);
  }
  e.issued.push(...link.members.map((m) => m.ud));
}

const drains = (link: Assembling) => link.members.some((m) => (m.sqe.flags ?? []).includes('IOSQE_IO_DRAIN'));

/** chain.drain.waits: the link starts after everything before it completed; if something never does, neither does it. */
function drainLink(e: Engine, members: Member[]): void {
  const waitsForever = e.drainBlocked || e.issued.some((ud) => 'pending' in (e.cqes.get(ud)?.res ?? {}));
  if (waitsForever) {
    e.drainBlocked = true;
    for (const m of members) expectCqe(e, m.ud, { pending: true }, ['chain.drain.waits']);
    return;
  }
  const hadToWait = e.issued.some((ud) => e.completesLater.has(ud));
  runLink(e, members, e.world.submitter);
  for (const before of e.issued) if (!('absent' in (e.cqes.get(before)?.res ?? {}))) e.order.push([before, members[0]!.ud]);
  if (members.some((m) => 'pending' in (e.cqes.get(m.ud)?.res ?? {}))) e.drainBlocked = true;
  // nothing submitted after a drained link starts before it completes (6.12: only if it was deferred itself)
  if (hadToWait || switchValue(e.s, 'chain.drain.waits') === true) {
    e.drainFence = members.filter((m) => !('absent' in (e.cqes.get(m.ud)?.res ?? {}))).map((m) => m.ud);
  } else {
    e.drainFence = [];
  }
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
  for (const index of sq) {
    consumed++;
    const sqe = c.sqes[index]!;
    const m: Member = { ud: index + 1, sqe, op: e.s.spec.ops[sqe.op] };
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
  for (const [ud, p] of e.pending) if (p.timer || p.transient) e.pending.delete(ud);
  return consumed;
}
