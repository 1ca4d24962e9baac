import type { Case, Expectation, FileAfter, ProfileSpec, Spec, StreamAfter, SubmitterExpect } from '../../spec/types.js';
import { fdKey, streamsOf } from './world.js';
import { resizeRuns } from './byteRuns.js';
import { freeUserData, userDataOf } from '../../spec/case/userData.js';
import { ctxFor, expectCqe, type Engine, type Member } from './engine.js';
import { issueResult } from './issue.js';
import { prepResult } from './prep.js';
import { decided, semantics, switchValue } from './semantics.js';
import { ringNames } from './context.js';
import { evalInt } from '../../spec/expr.js';
import { setupRulesBroken } from '../../spec/setupFlags.js';
import { submitBatch } from './submit.js';
import { initWorld, isOpenedKey } from './world.js';

export interface Prediction {
  expect: Expectation;
  divergences: string[];
  /** a divergence of the profile makes the outcome unknowable (a use-after-free race): only the intended rule holds */
  unpredictable: boolean;
  /** the intended rules leave part of the outcome to a race (a LINK_TIMEOUT racing a timer that does not fail): generators drop such chains */
  undetermined: boolean;
}

/** Predictions made, per spec, profile and case object: the generator predicts a chain once, and the runner reuses it. */
const made = new WeakMap<Spec, WeakMap<ProfileSpec, WeakMap<Case, { intended?: Prediction; observed?: Prediction }>>>();

/**
 * The CQEs, submit counts, order constraints and spawned tasks the spec expects of a case on a profile
 * (observed: with the profile's known divergences applied). A case is not to be changed once predicted.
 */
export function predictWith(spec: Spec, profile: ProfileSpec, c: Case, observed: boolean): Prediction {
  // without divergences, what the profile's tree does is the intended behaviour
  const which = observed && profile.divergences?.length ? 'observed' : 'intended';
  const bySpec = made.get(spec) ?? made.set(spec, new WeakMap()).get(spec)!;
  const byProfile = bySpec.get(profile) ?? bySpec.set(profile, new WeakMap()).get(profile)!;
  const mine = byProfile.get(c) ?? byProfile.set(c, {}).get(c)!;
  return (mine[which] ??= predictOnce(spec, profile, c, which === 'observed'));
}

function predictOnce(spec: Spec, profile: ProfileSpec, c: Case, observed: boolean): Prediction {
  const s = semantics(spec, profile, observed);
  const refused = setupRulesBroken(spec.ring, c.ring.flags ?? []);
  if (refused.length) {
    for (const r of refused) decided(s, r.id);
    const res = evalInt(refused[0]!.res, ringNames(spec.ring), `${refused[0]!.id}.res`);
    return { expect: { setup: { res, because: refused.map((r) => r.id) }, submitted: [], cqes: [], order: [] }, divergences: [...s.used], unpredictable: false, undetermined: false };
  }
  const e: Engine = {
    s, c, world: initWorld(c, spec.fixtures), ring: { flags: c.ring.flags ?? [], drain_disabled: false },
    cqes: new Map(), order: [], tasks: [], nprocExhausted: nprocExhausted(c), drainBlocked: false, drainActive: false, drainNext: false, drainDeferred: false, issued: [], drainFence: [], completesLater: new Set(), waiters: [], pending: new Map(), unpredictable: false, undetermined: false,
    drain: { mode: 'off', next: false }, submission: { queued: new Set(), consumed: [] },
  };
  const batches = c.batches ?? [c.sqes.length];
  let sq: number[] = [];
  let next = 0;
  const submitted: number[] = [];
  const settle: number[][] = [];
  let unpredictable = false;
  let tasksBefore = 0;
  for (const [k, size] of batches.entries()) {
    sq = [...sq, ...Array.from({ length: size }, (_, i) => next + i)];
    next += size;
    // chain.submit.to-submit: io_submit_sqes() takes min(to_submit, the SQEs in the SQ ring)
    const consumed = submitBatch(e, c, c.to_submit ? sq.slice(0, c.to_submit[k]) : sq);
    submitted.push(consumed);
    sq = sq.slice(consumed);
    // several CLONEs completing together: each one's request may be recycled under another's task
    if (e.tasks.length - tasksBefore > 1 && switchValue(s, 'spawn.clone.head-outlives-task') === false) unpredictable = true;
    tasksBefore = e.tasks.length;
    if (k === batches.length - 1) break;
    const done = [...e.cqes.values()].filter((q) => !('pending' in q.res) && !('absent' in q.res)).map((q) => q.user_data);
    settle.push(c.settle === false ? [] : done);
    // a later submission while a spawned task may still need its CLONE request (spawn.clone.head-outlives-task)
    const taskBusy = e.tasks.length > 0 && (c.settle === false || e.waiters.some((w) => w.spawnHead !== undefined));
    if (taskBusy && switchValue(s, 'spawn.clone.head-outlives-task') === false) unpredictable = true;
  }
  for (const index of sq) expectCqe(e, userDataOf(c, index), { absent: true }, ['chain.submit.leftover']);
  // a spawned task still blocked when the case ends: it holds its members and never execs
  for (const w of e.waiters) if (w.spawnHead !== undefined) e.tasks.push({ head: w.spawnHead, outcome: 'none' });
  const cqes = [...e.cqes.values()].sort((a, b) => a.user_data - b.user_data);
  const spawns = c.sqes.some((q) => spec.ops[q.op]?.spawns);
  // the stored fds are checked once the CQEs are in: a request that posts no CQE (IOSQE_CQE_SKIP_SUCCESS) and is issued
  // after a member that completes later (a timer) may not have run by then, so what it stores is not checked (found by
  // the seeded host campaign of runner/fuzz/fuzz.host.test.ts, seed 2026, path 340: TIMEOUT(3 ms) -> PIPE(SKIP_SUCCESS))
  const late = (ud: number) => 'absent' in (e.cqes.get(ud)?.res ?? {}) && e.completesLater.has(ud);
  const stored = e.world.stored.filter((x) => !late(x.user_data));
  // the same holds for what such a request does to the fd table, the files and the streams: the state after is not
  // checked where one may still be on its way (a case that spawns checks its submitter after its tasks ended)
  const settled = ![...e.cqes.keys()].some(late);
  const files = settled ? filesAfter(e) : [];
  const streams = settled ? streamsAfter(e) : [];
  const expect: Expectation = {
    submitted, cqes, order: e.order,
    ...(e.tasks.length ? { spawn: { tasks: e.tasks } } : {}),
    ...(spawns ? { submitter: submitterAfter(e, sq.length > 0, true) } : Object.keys(c.fixtures ?? {}).length && settled ? { submitter: submitterAfter(e, sq.length > 0, false) } : {}),
    ...(settle.some((x) => x.length) ? { settle } : {}),
    ...(stored.length ? { fds_stored: stored } : {}),
    ...(files.length ? { files } : {}),
    ...(streams.length ? { streams } : {}),
  };
  return { expect, divergences: [...s.used], unpredictable: unpredictable || e.unpredictable, undetermined: e.undetermined };
}

/**
 * The submitter's state after the chain, in a case that spawns: its fd table as its own requests left it
 * (spawn.submitter.fd-table-kept), its fs (spawn.submitter.fs-kept), what requests read into its memory
 * (spawn.task.shares-memory) and no child beyond the tasks (spawn.submitter.no-stray-children).
 */
function submitterAfter(e: Engine, leftover: boolean, spawns: boolean): SubmitterExpect {
  // a fixture's fds only: an fd a request opened (openedFixture) counts in fds_opened while it is still open
  const closed = [...e.world.submitter.fds].filter(([key, f]) => !f.open && !isOpenedKey(key)).map(([key]) => key);
  const reclosed = [...e.world.submitter.fds].filter(([key, f]) => !f.open && isOpenedKey(key)).length;
  const opened = e.world.submitter.opened + e.world.submitter.installed.length - reclosed;
  // SQEs left in the SQ ring would go in with the next request: nothing is submitted after such a case
  const after = leftover || !spawns ? undefined : ringAfter(e);
  return {
    fds_closed: closed, fds_opened: [opened, opened], fs_kept: e.world.submitter.cwdIsTmp, buffers: e.world.buffers, no_stray_children: true,
    ...(after ? { ring_after: after } : {}),
  };
}

/** chain.state.effects-in-place: each file fixture's size, and its bytes while the model knows them. */
function filesAfter(e: Engine): FileAfter[] {
  return [...e.world.files].filter(([name, f]) => !f.unknown && !isOpenedKey(name)).map(([fixture, f]) => ({ fixture, size: f.size, ...(f.data ? { bytes: resizeRuns(f.data, f.size) } : {}) }));
}

/**
 * chain.state.effects-in-place: the bytes each end of a stream fixture the submitter still holds can read,
 * unless a request may still take or add some (one that waits) or moved a count the spec does not fix.
 */
function streamsAfter(e: Engine): StreamAfter[] {
  if ([...e.cqes.values()].some((q) => 'pending' in q.res) || e.tasks.length) return [];
  const out: StreamAfter[] = [];
  for (const [key, entry] of e.world.submitter.fds) {
    if (!entry.open || entry.end === undefined) continue;
    const reads = streamsOf(e.world, entry.fixture, entry.end).reads;
    const pipe = reads !== undefined ? e.world.pipes.get(reads) : undefined;
    if (pipe && !pipe.unknown && key === fdKey(entry.fixture, entry.end)) out.push({ fixture: entry.fixture, end: entry.end, avail: pipe.avail });
  }
  return out;
}

/**
 * spawn.ring.usable-after: one more request of the rule's op, with every field zero, once everything has
 * completed; only when nothing is left waiting (a task blocked in a member may still hold the ring).
 */
function ringAfter(e: Engine): SubmitterExpect['ring_after'] {
  const opName = String(switchValue(e.s, 'spawn.ring.usable-after'));
  const op = e.s.spec.ops[opName];
  if (!op || e.s.profile.opcodes[opName] === undefined) return undefined;
  if (e.tasks.some((t) => t.outcome === 'none') || [...e.cqes.values()].some((q) => 'pending' in q.res)) return undefined;
  const m: Member = { ud: freeUserData(e.c, e.cqes.keys()), sqe: { op: opName }, op };
  const ctx = ctxFor(e, m, e.world.submitter, { in_link: false, has_next: false, prev_op: '' });
  const prep = prepResult(e.s, op, ctx);
  const r = prep ? { eq: prep.res } : issueResult(e.s, op, ctx).res;
  return 'eq' in r ? { op: opName, user_data: m.ud, res: r.eq } : undefined;
}

/** A non-root submitter already at its RLIMIT_NPROC (it counts itself) cannot create a task. */
function nprocExhausted(c: Case): boolean {
  const cr = c.credentials;
  return cr !== undefined && cr.uid !== 0 && cr.nproc !== undefined && cr.nproc <= 1;
}

/** The intended expectation. */
export function predict(spec: Spec, profile: ProfileSpec, c: Case): Expectation {
  return predictWith(spec, profile, c, false).expect;
}
