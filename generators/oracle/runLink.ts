import { cancelTarget, ctxFor, expectCqe, has, isLinked, pipeOf, wake, type Engine, type Member } from './engine.js';
import { issueResult, type IssueResult } from './issue.js';
import type { ResExpect } from '../../spec/types.js';
import { applyEffects, namesRecycledFd, releaseEnds } from './effects.js';
import type { FdEntry } from './world.js';
import { runSpawn } from './runSpawn.js';
import { ruleRes } from './semantics.js';
import { userDataList } from '../../spec/case/userData.js';
import type { Task } from './world.js';

/** A link that failed during submission: nothing is issued (chain.prep-failure.*). */
export function failLinkAtPrep(e: Engine, members: Member[]): void {
  const head = members[0]!;
  const ignore = has(head, 'IOSQE_CQE_SKIP_SUCCESS');
  members.forEach((m, i) => {
    const res = { eq: m.prep?.res ?? ruleRes(e.s, 'chain.prep-failure.fails-link') };
    const because = [...(m.prep ? [m.prep.rule] : []), 'chain.prep-failure.fails-link'];
    if (i === 0) expectCqe(e, m.ud, res, because);
    else if (i === 1 && !m.prep && m.op?.links_to_previous) {
      expectCqe(e, m.ud, res, [...because, 'chain.prep-failure.link-timeout-disarmed'], !has(m, 'IOSQE_CQE_SKIP_SUCCESS'));
    } else expectCqe(e, m.ud, res, [...because, 'chain.prep-failure.skip-follows-head'], !ignore);
  });
}

/** Members that never run because the link stalled on a request that waits. */
export function holdRest(e: Engine, rest: Member[], rule: string): void {
  for (const m of rest) expectCqe(e, m.ud, { pending: true }, [rule]);
}

export function cancelRest(e: Engine, rest: Member[], failer: Member, rule: string): void {
  const ignore = has(failer, 'IOSQE_CQE_SKIP_SUCCESS');
  const res = { eq: ruleRes(e.s, rule) };
  for (const m of rest) expectCqe(e, m.ud, res, [rule, 'chain.skip-success.cancelled-follow-failer'], !ignore);
}

export function postResult(e: Engine, m: Member, r: IssueResult, extra: string[] = []): void {
  const skip = has(m, 'IOSQE_CQE_SKIP_SUCCESS') && !r.failed;
  const because = [r.rule, ...extra, ...(has(m, 'IOSQE_CQE_SKIP_SUCCESS') ? [r.failed ? 'chain.skip-success.failure-posts' : 'chain.skip-success.success'] : [])];
  expectCqe(e, m.ud, r.res, because, !skip, r.cqeFlags ?? 0);
  postTargets(e, m, r, !skip);
}

/**
 * A guarded request that posts CQEs besides its own (post_cqe) and may still win its race with the LINK_TIMEOUT (prev
 * allows its own res): those CQEs come or not, which no expectation can say; generators drop such chains.
 */
export function raceOfPosted(e: Engine, r: IssueResult, prev: ResExpect): void {
  if (r.failed || !('eq' in r.res) || !r.effects.some((x) => 'post_cqe' in x.effect)) return;
  const won = 'eq' in prev ? [prev.eq] : 'one_of' in prev ? prev.one_of : [];
  if (won.includes(r.res.eq)) e.undetermined = true;
}

/**
 * The CQEs a request posts on the case's ring besides its own (an outcome's post_cqe effects), when it did not
 * fail: keyed by their own user_data, before the request's CQE when direct. One whose user_data an SQE of the case
 * has, or another CQE already took, makes the CQEs of that user_data a matter of arrival order: undetermined.
 */
function postTargets(e: Engine, m: Member, r: IssueResult, ownPosted: boolean): void {
  if (r.failed) return;
  for (const { effect, values } of r.effects) {
    if (!('post_cqe' in effect) || !values) continue;
    const [ud, res, flags, direct] = values as [number, number, number, number];
    if (userDataList(e.c).includes(ud) || e.cqes.has(ud)) {
      e.undetermined = true;
      continue;
    }
    e.cqes.set(ud, { user_data: ud, res: { eq: res }, flags, posted_by: m.ud, because: [r.rule] });
    if (direct && ownPosted) e.order.push([ud, m.ud]);
  }
}

/** Issues a link in the submitter's context with the upstream link rules. */
export function runLink(e: Engine, members: Member[], task: Task, start = 0, prevAtStart?: number, forced?: IssueResult): void {
  const released: FdEntry[] = [];
  try {
    issueLink(e, members, task, start, prevAtStart, released, forced);
  } finally {
    for (const pipe of releaseEnds(e.world, released)) wake(e, pipe);
  }
}

/** A waiting request completed by a cancel: it fails with res, and its link goes on by the usual rules. */
const cancelled = (rule: string, res: number): IssueResult => ({ rule, res: { eq: res }, failed: true, pending: false, deferred: false, issueError: false, punts: false, effects: [] });

export const cancelsByKey = (m: Member) => (m.op?.issue ?? []).some((r) => (r.effects ?? []).some((x) => 'cancel' in x));

/** The user_data a cancel by key names: the values of the fields its effects cancel by. */
function cancelKeys(m: Member): number[] {
  const fields = (m.op?.issue ?? []).flatMap((r) => (r.effects ?? []).flatMap((x) => ('cancel' in x ? [x.cancel as string] : [])));
  return fields.map((f) => (m.sqe.fields ?? {})[f as keyof NonNullable<typeof m.sqe.fields>]).filter((v): v is number => typeof v === 'number');
}

function issueLink(e: Engine, members: Member[], task: Task, start: number, prevAtStart: number | undefined, released: FdEntry[], forced?: IssueResult): void {
  let prevUd = prevAtStart;
  // the link runs in an io-wq worker: left open at the end of its submission (chain.link.last-in-batch), or after a
  // member that ran there (IOSQE_ASYNC, force_async) and completed there, since the worker issues the next member itself
  let iowq = start === 0 && !forced && isLinked(members.at(-1)!);
  // after a member that may have gone to io-wq (punts: a buffered read that would block), the rest of the link
  // may be issued by the worker, later than the submission: a cancel may come before it, or from it
  let mayIowq = false;
  for (let i = start; i < members.length; i++) {
    const m = members[i]!;
    // a member after a timer is issued once the timer has completed: it is no longer there to cancel
    if (i > start && e.pending.get(members[i - 1]!.ud)?.timer) e.pending.delete(members[i - 1]!.ud);
    const asyncFlag = has(m, 'IOSQE_ASYNC') || m.forceAsync === true;
    const ownAsync = asyncFlag || m.op?.force_async === true;
    const iowqBlocking = iowq && !asyncFlag;
    // a head io_submit_sqes() issues itself; the members after it are issued from task work (or io-wq) later
    const afterSubmission = i > 0 || start > 0 || forced !== undefined;
    m.inline = !afterSubmission && !iowq && !ownAsync;
    iowq = iowq || ownAsync;
    const next = members[i + 1];
    const guard = next?.op?.links_to_previous ? next : undefined;
    const ctx = ctxFor(e, m, task, { in_link: i > 0, has_next: next !== undefined, prev_op: members[i - 1]?.op?.short ?? '' });
    // a cancel by user_data that goes to io-wq is not ordered against the requests submitted after it
    if (cancelsByKey(m) && (has(m, 'IOSQE_ASYNC') || isLinked(members.at(-1)!) || mayIowq)) e.undetermined = true;
    // chain.link.member-after-submission: a member after the head runs after its whole submission went in, so a
    // cancel there may meet a request of that submission the oracle has not reached yet, waiting or not
    if (i > 0 && cancelKeys(m).some((ud) => e.submission.queued.has(ud) && !e.cqes.has(ud) && !members.some((x) => x.ud === ud))) e.undetermined = true;
    // an fd the case closed before a new fd was made may name that new file now (the kernel hands out the lowest free fd)
    if (namesRecycledFd(e.world, task, m)) e.undetermined = true;
    // what the cancel finds depends on whether its target got there first
    if (cancelKeys(m).some((ud) => cancelTarget(e, m, ud).racy)) e.undetermined = true;
    const r = i === start && forced ? forced : issueResult(e.s, m.op!, ctx);
    if (r.undetermined && (next || has(m, 'IOSQE_CQE_SKIP_SUCCESS'))) e.undetermined = true;

    if (m.op!.spawns && !r.failed && next) {
      postResult(e, m, r, ['spawn.clone.steals-link']);
      // chain.async.same-result: a CLONE sent to io-wq may still be queued or running there when a later cancel of
      // this submission looks for it, as any request there (found or not, the cancel's result is a race)
      if ((ownAsync || iowq) && !e.pending.has(m.ud)) e.pending.set(m.ud, { op: m.op!.short, racy: true, transient: true, cancel: () => { e.undetermined = true; } });
      runSpawn(e, m, members.slice(i + 1), task);
      return;
    }
    let result = r;
    if (guard) {
      const ltFor = (res: number, pending = r.pending) => issueResult(e.s, guard.op!, ctxFor(e, guard, task, { in_link: true, has_next: members[i + 2] !== undefined, prev_op: m.op!.short },
        { pending, waits_armed: pending && (r.waitsArmed ?? false), deferred: r.deferred, deferred_ms: deferredMs(ctx), res, may_punt: r.punts || asyncFlag, iowq_blocking: iowqBlocking }));
      const lt = 'one_of' in r.res ? overResults((v: number) => ltFor(v), r.res.one_of) : ltFor('eq' in r.res ? r.res.eq : 0);
      if (lt.prev) {
        raceOfPosted(e, r, lt.prev);
        // a race the guarded request may win without failing (a TIMEOUT with ETIME_SUCCESS): the rest of the link is undecided
        if (!r.failed && !r.pending && (i + 2 < members.length || has(m, 'IOSQE_CQE_SKIP_SUCCESS') || !('eq' in r.res))) e.undetermined = true;
        result = { ...r, res: lt.prev, failed: true, pending: false, rule: lt.rule };
      }
      postResult(e, guard, lt);
      if (lt.prev && r.pending && guard.op!.links_to_previous) {
        // the guarded request waits, armed, until the LINK_TIMEOUT fires: a cancel of this submission finds it first
        // and cancels it, and the LINK_TIMEOUT is then disarmed (found by uringspec fuzz --target host --seed 4, path 40:...:9:9:
        // POLL_ADD(POLLIN on a pipe's write end) -> LINK_TIMEOUT(1 ms), then ASYNC_CANCEL of the POLL_ADD: 0, and the
        // LINK_TIMEOUT -ECANCELED). The timer's firing is a race for a cancel within 10 ms of it.
        const guardCtx = ctxFor(e, guard, task, { in_link: true, has_next: members[i + 2] !== undefined, prev_op: m.op!.short });
        const ud = m.ud;
        e.pending.set(ud, {
          op: m.op!.short, timer: true, racy: iowq || mayIowq || deferredMs(guardCtx) < 10,
          ...(afterSubmission ? { after: e.submission } : {}),
          cancel: (res, because) => {
            e.pending.delete(ud);
            expectCqe(e, ud, { eq: res }, because);
            postResult(e, guard, ltFor(res, false));
          },
        });
      }
    }
    // a guarded member still waiting (its LINK_TIMEOUT not armed, link-timeout.issue.not-armed-while-blocking) holds the link like any other
    if (result.pending) {
      expectCqe(e, m.ud, r.res, [r.rule]);
      holdRest(e, members.slice(guard ? i + 2 : i + 1), 'chain.pending.holds-link');
      for (const x of members.slice(i)) e.completesLater.add(x.ud);
      const pipe = pipeOf(e, m);
      const at = i;
      const from = prevUd;
      const waiter = pipe ? { pipe, resume: () => { e.pending.delete(m.ud); runLink(e, members, task, at, from); } } : undefined;
      if (waiter) e.waiters.push(waiter);
      e.pending.set(m.ud, {
        op: m.op!.short,
        // armed from io-wq (IOSQE_ASYNC, FSYNC before it, or a link left open at the end of its submission): a later cancel may come first
        racy: iowq || mayIowq,
        ...(afterSubmission ? { after: e.submission } : {}),
        cancel: (res, because) => {
          e.pending.delete(m.ud);
          e.waiters = e.waiters.filter((w) => w !== waiter);
          runLink(e, members, task, at, from, cancelled(because[0]!, res));
        },
      });
      return;
    }
    postResult(e, m, result);
    // a request that may have gone to io-wq (punts, IOSQE_ASYNC) may still be queued there when a later cancel of
    // this submission looks for it: what that cancel finds is a race (found by uringspec fuzz --target host --seed 1)
    if (!result.deferred && (result.punts || ownAsync || iowq) && !e.pending.has(m.ud)) {
      e.pending.set(m.ud, { op: m.op!.short, racy: true, transient: true, cancel: () => { e.undetermined = true; } });
    }
    if (result.deferred && !guard) {
      // an armed timer, until its CQE: a cancel finds it. What follows it in its link was predicted from its own
      // result, so only a timer that ends its link, of a fixed result and not about to fire (10 ms), is predicted
      const ud = m.ud;
      const skip = has(m, 'IOSQE_CQE_SKIP_SUCCESS');
      e.pending.set(ud, {
        op: m.op!.short, timer: true,
        racy: iowq || i < members.length - 1 || !('eq' in result.res) || deferredMs(ctx) < 10,
        ...(afterSubmission ? { after: e.submission } : {}),
        cancel: (res, because) => {
          e.pending.delete(ud);
          expectCqe(e, ud, { eq: res }, [...because, ...(skip ? ['chain.skip-success.failure-posts'] : [])]);
        },
      });
    }
    // completed later (a timer): its link goes on from task work, in the submitter
    if (result.deferred) iowq = false;
    if (result.punts && !result.deferred) mayIowq = true;
    if (result.deferred || e.completesLater.has(members[i - 1]?.ud ?? -1)) e.completesLater.add(m.ud);
    const touched = applyEffects(e.world, task, m, result, released);
    for (const { effect, bytes } of result.effects) {
      if (!('cancel' in effect)) continue;
      const key = (m.sqe.fields ?? {})[effect.cancel as keyof NonNullable<typeof m.sqe.fields>];
      const target = typeof key === 'number' ? cancelTarget(e, m, key).target : undefined;
      target?.cancel(bytes, [result.rule]);
    }
    // a member that completes later lets the submitter return to userspace first, running the fput task work
    if (result.deferred) touched.push(...releaseEnds(e.world, released));
    if (prevUd !== undefined) e.order.push([prevUd, m.ud]);
    prevUd = m.ud;
    if (guard) i++;
    for (const pipe of touched) wake(e, pipe);
    const rest = members.slice(i + 1);
    if (result.failed && rest.length) {
      if (has(m, 'IOSQE_IO_HARDLINK')) continue;
      cancelRest(e, rest, m, 'chain.link.failure-cancels-rest');
      return;
    }
  }
}

/**
 * The LINK_TIMEOUT's outcome when the guarded request's res is one of several: its rule for each, with what
 * becomes of the guarded request (prev) the union of what each allows.
 */
function overResults(ltFor: (res: number) => IssueResult, values: number[]): IssueResult {
  const each = values.map(ltFor);
  const first = each[0]!;
  if (!first.prev) return first;
  const union = new Set<number>();
  for (const x of each) {
    const p = x.prev;
    if (!p || !('eq' in p || 'one_of' in p)) return first;
    for (const v of 'eq' in p ? [p.eq] : p.one_of) union.add(v);
  }
  const all = [...union].sort((a, b) => a - b);
  return { ...first, prev: all.length === 1 ? { eq: all[0]! } : { one_of: all } };
}

function deferredMs(ctx: Record<string, unknown>): number {
  const ts = ctx.ts as { present: boolean; ms: number };
  return ts.present ? ts.ms : 0;
}
