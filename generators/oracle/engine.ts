import type { Case, CaseSqe, CqeExpect, OpSpec, OrderConstraint, ResExpect, SpawnExpect } from '../../spec/types.js';
import { evalContext, type LinkFacts, type PrevFacts, type RingFacts } from './context.js';
import type { Semantics } from './semantics.js';
import type { PrepResult } from './prep.js';
import { slotEntry, streamsOf, type Task, type World } from './world.js';

/** One consumed SQE on its way through the chain engine. */
export interface Member {
  ud: number;
  sqe: CaseSqe;
  op: OpSpec | undefined;
  /** a raw opcode no op of the profile has (op undefined): what op.opcode reads */
  opcode?: number;
  prep?: PrepResult;
  /** it heads a link left open at the end of its submission: issued from an io-wq worker (chain.link.last-in-batch) */
  iowq?: boolean;
  /** REQ_F_FORCE_ASYNC from drain mode (io_init_req(): if (ctx->drain_active)): io-wq issues it as if it had IOSQE_ASYNC */
  forceAsync?: boolean;
  /** issued by io_submit_sqes() itself while it consumes the SQ: a head, not from io-wq or task work */
  inline?: boolean;
}

/** Mutable state of one prediction: the world, the ring and what has been expected so far. */
export interface Engine {
  s: Semantics;
  c: Case;
  world: World;
  ring: RingFacts;
  cqes: Map<number, CqeExpect>;
  order: OrderConstraint[];
  tasks: SpawnExpect['tasks'];
  nprocExhausted: boolean;
  /** a drained request waits behind one that never completes: it and everything after it wait too */
  drainBlocked: boolean;
  /** user_data of every request issued so far, for the order a drain promises */
  issued: number[];
  /** requests that complete after their submission returned (a timer, a wait on a pipe) */
  completesLater: Set<number>;
  /** the CQEs of the last drained link: everything submitted after it completes after them */
  drainFence: number[];
  /** ctx->drain_active and the defer list as chain.drain.stays-active sees them (unused when that switch is off) */
  drain: DrainState;
  /** ctx->drain_active when that switch is off (6.12, chain.drain.active-forces-async): on from an armed IOSQE_IO_DRAIN until a link passes io_drain_req() undeferred */
  drainActive: boolean;
  /** 6.12: ctx->drain_next, set by a drained member inside a link: the next link's head is drained too */
  drainNext: boolean;
  /** 6.12: a link of this submission is on the defer list (io_queue_deferred() releases it at the submission's flush) */
  drainDeferred: boolean;
  /** user_data of the SQEs the current io_uring_enter() may consume, and of those it consumed so far */
  submission: { queued: Set<number>; consumed: number[] };
  /** a divergence of the profile leaves the outcome to a race: only the intended rule is checked */
  unpredictable: boolean;
  /** the intended rules themselves leave the outcome to a race: generators drop such chains */
  undetermined: boolean;
  /** requests waiting on a pipe, woken in FIFO order when it gets data or loses its last writer */
  waiters: { pipe: string; resume: () => void; spawnHead?: number }[];
  /**
   * requests issued and waiting (no CQE yet), by user_data: what a cancel by user_data finds. racy: it went to
   * io-wq or waits for a drain, so a later request is not ordered against its arming. cancel completes it with res.
   */
  pending: Map<number, PendingRequest>;
}

export interface PendingRequest {
  op: string;
  racy: boolean;
  timer?: boolean;
  transient?: boolean;
  /** a link member issued from task work once the member before it completed: after this submission was consumed */
  after?: Engine['submission'];
  cancel: (res: number, because: string[]) => void;
}

/**
 * What a cancel by user_data issued by m finds (chain.link.member-after-submission): a member issued after the
 * submission of m is not there yet when m runs inline in that submission, and when m runs from task work too the
 * order between them is the task work's (undetermined).
 */
export function cancelTarget(e: Engine, m: Member, ud: number): { target: PendingRequest | undefined; racy: boolean } {
  const t = e.pending.get(ud);
  if (!t?.after || t.after !== e.submission) return { target: t, racy: t?.racy ?? false };
  // (a member after one that may have gone to io-wq may be issued by the worker meanwhile: racy either way)
  return m.inline ? { target: undefined, racy: t.racy } : { target: t, racy: true };
}

/**
 * Drain mode (chain.drain.stays-active): off, on, or unknown (it ended only if a request of an earlier
 * submission was already freed). next: a drain inside a link drains the next link too (ctx->drain_next).
 * group: the last deferred link of this submission still waiting, with what it waits for.
 */
export interface DrainState {
  mode: 'off' | 'on' | 'maybe';
  next: boolean;
  group?: { drainHead: boolean; waitsFor: number[]; cancels: boolean };
}

/** Wakes what waits on a pipe: each waiter re-issues its request and carries its link on. */
export function wake(e: Engine, pipe: string): void {
  const ready = e.waiters.filter((w) => w.pipe === pipe);
  e.waiters = e.waiters.filter((w) => w.pipe !== pipe);
  for (const w of ready) w.resume();
}

/** The stream a request's fd field names, if any: the one its end reads (a pipe's write end: the pipe). */
export function pipeOf(e: Engine, m: Member): string | undefined {
  const v = m.sqe.fields?.fd;
  // IOSQE_FIXED_FILE: the stream of the registered slot fd names
  const [name, end] = (m.sqe.flags ?? []).includes('IOSQE_FIXED_FILE')
    ? [slotEntry(e.world, v)?.fixture, slotEntry(e.world, v)?.end]
    : v !== undefined && typeof v === 'object' && 'fd' in v ? [v.fd, v.end ?? 'r'] : [undefined, undefined];
  if (name === undefined || !end) return undefined;
  const s = streamsOf(e.world, name, end);
  return s.reads ?? s.writes;
}

/** Records what a request's CQE must be: flags are the outcome's cqe_flags (0 for most: no provided buffers, no multishot). */
export function expectCqe(e: Engine, ud: number, res: ResExpect, because: string[], posted = true, flags = 0): void {
  const arrives = posted && !('pending' in res) && !('absent' in res);
  e.cqes.set(ud, { user_data: ud, res: posted ? res : { absent: true }, ...(arrives ? { flags } : {}), because });
}

export function ctxFor(e: Engine, m: Member, task: Task, link: LinkFacts, prev?: PrevFacts): Record<string, unknown> {
  const addr = m.sqe.fields?.addr;
  const t = typeof addr === 'number' ? cancelTarget(e, m, addr).target : undefined;
  return evalContext({
    ring: e.s.spec.ring, profile: e.s.profile, op: m.op, sqe: m.sqe, userData: m.ud, world: e.world, task,
    ringFacts: e.ring, link, ...(prev ? { prev } : {}), ...(m.opcode !== undefined ? { opcode: m.opcode } : {}), nprocExhausted: e.nprocExhausted,
    target: { pending: t !== undefined, op: t?.op ?? '' },
  });
}

export const has = (m: Member, flag: string) => (m.sqe.flags ?? []).includes(flag);
export const isLinked = (m: Member) => has(m, 'IOSQE_IO_LINK') || has(m, 'IOSQE_IO_HARDLINK');
