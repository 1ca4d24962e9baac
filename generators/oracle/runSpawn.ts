import type { HelperReport, TaskReap } from '../../spec/types.js';
import { ctxFor, expectCqe, has, pipeOf, wake, type Engine, type Member } from './engine.js';
import { issueResult, type IssueResult } from './issue.js';
import { applyEffects, namesRecycledFd, releaseEnds } from './effects.js';
import type { FdEntry } from './world.js';
import { postResult, raceOfPosted } from './runLink.js';
import { ruleRes, switchValue } from './semantics.js';
import { dropTask, forkTask, type Task } from './world.js';
import { hasParam, intParam, kindOf } from '../../spec/fixtureParams.js';

function fixed(rule: string, res: number): IssueResult {
  return { rule, res: { eq: res }, failed: res < 0, pending: false, deferred: false, issueError: false, punts: false, effects: [] };
}

/** Cancelled inside the spawn task: fail_link() sets REQ_F_FAIL on each, so each posts its CQE. */
function cancelAll(e: Engine, rest: Member[], rule: string): void {
  const res = { eq: ruleRes(e.s, rule) };
  for (const m of rest) expectCqe(e, m.ud, res, [rule, 'spawn.member.cancelled-always-post']);
}

/** A constant of spec/ring.yaml by name (the task flags and signal numbers the spawn rules name). */
function constant(e: Engine, name: string, rule: string): number {
  const v = e.s.spec.ring.constants[name.trim()];
  if (v === undefined) throw new Error(`${rule}: no constant named "${name.trim()}" in spec/ring.yaml`);
  return v;
}

/** A sum of constant names ("PF_KTHREAD + PF_IO_WORKER"), the form spawn rules give flag sets in. */
function flagSum(e: Engine, text: string, rule: string): number {
  return text.split('+').reduce((acc, name) => acc | constant(e, name, rule), 0);
}

/** How a task that ends with this exit_signal is reaped (kernel/exit.c eligible_child(), do_notify_parent()). */
function reapOf(e: Engine, exitSignal: number): TaskReap {
  const sigchld = constant(e, 'SIGCHLD', 'spawn.exec.ordinary-child');
  return { how: exitSignal === sigchld ? 'plain' : 'wall', sigchld: exitSignal === sigchld };
}

/** The exec'd program's task state (spawn.exec.regular-task, spawn.exec.issuer-independent, spawn.exec.ordinary-child). */
function taskState(e: Engine, clone: Member): Pick<HelperReport, 'ring_fd_closed' | 'flags_clear' | 'flags_set' | 'exit_signal' | 'parent_is_submitter' | 'umask_of_submitter' | 'sigign_of_submitter' | 'sigblk'> {
  let clear = flagSum(e, String(switchValue(e.s, 'spawn.exec.regular-task')), 'spawn.exec.regular-task');
  let set = 0;
  let sigblk: HelperReport['sigblk'] = { of_submitter: true };
  // the task that issues CLONE: an io-wq worker for IOSQE_ASYNC, a link left open at the end of its
  // submission (chain.link.last-in-batch) or drain mode (chain.drain.active-forces-async), the SQPOLL thread on an
  // SQPOLL ring
  const worker = has(clone, 'IOSQE_ASYNC') || clone.iowq === true || clone.forceAsync === true || e.ring.flags.includes('IORING_SETUP_SQPOLL');
  const leak = worker ? String(switchValue(e.s, 'spawn.exec.issuer-independent')) : 'none';
  if (leak !== 'none') {
    const [flags, mask] = leak.split(';');
    set = flagSum(e, flags!, 'spawn.exec.issuer-independent');
    clear &= ~set;
    const m = /^\s*all but (.+)$/.exec(mask ?? '');
    if (!m) throw new Error(`spawn.exec.issuer-independent: value "${leak}" gives no "all but" signal list`);
    sigblk = { all_but: m[1]!.trim().split(/\s+/).map((n) => constant(e, n, 'spawn.exec.issuer-independent')) };
  }
  const exitSignal = constant(e, String(switchValue(e.s, 'spawn.exec.ordinary-child')), 'spawn.exec.ordinary-child');
  return {
    ring_fd_closed: true, flags_clear: clear, flags_set: set, exit_signal: exitSignal, parent_is_submitter: true,
    umask_of_submitter: true, sigign_of_submitter: true, sigblk,
  };
}

/** spawn.exec.personality-ignored, spawn.clone.personality: the program runs as the task, whatever the EXEC's personality. */
function idsOf(e: Engine, task: Task): { uid: number; gid: number } {
  const c = task.creds ?? e.world.creds;
  return { uid: c.uid, gid: c.gid };
}

function report(task: Task, exec: Member, target: ExecTarget | undefined): HelperReport {
  const f = exec.sqe.fields ?? {};
  const list = (v: unknown, key: 'argv' | 'envp') => (v && typeof v === 'object' && key in v ? (v as Record<string, string[]>)[key] : []);
  const open: string[] = [];
  const closed: string[] = [];
  for (const [key, entry] of task.fds) {
    if (entry.open && !entry.cloexec) open.push(key);
    // a file fd the task closed and then opened the same path again: the new fd takes the lowest free number, maybe
    // this one, and names the same file, so the helper's fd table (numbers and paths) cannot tell it closed
    else if (!(entry.open && !entry.cloexec) && !(entry.end === undefined && task.reopened?.has(entry.fixture))) closed.push(key);
  }
  // spawn.task.direct-descriptors-shared: an fd FIXED_FD_INSTALL gave the task, kept across the exec, names a fixture's file
  const installed = task.installed.filter((x) => x.open && !x.cloexec && x.fixture).map((x) => (x.end ? `${x.fixture}.${x.end}` : x.fixture));
  const argv = list(f.addr2, 'argv');
  const viaScript = target?.argvRewritten === true;
  return {
    // exec.issue.script: the interpreter's own path replaces argv[0], so only a direct exec's argv is predictable
    ...(viaScript ? {} : { argv: argv.length ? argv : [''] }), // spawn.exec.inherits: an empty argv gets ""
    envp: list(f.addr3, 'envp'), cwd: task.cwdIsTmp ? '.' : '?', fds_open: open, fds_closed: closed,
    ...(installed.length ? { fds_installed: [...new Set(installed)] } : {}),
  };
}

/** The fixture an EXEC ran: the one its filename (or, with AT_EMPTY_PATH, its fd) names. */
interface ExecTarget { exit?: number; argvRewritten: boolean }

function execTarget(e: Engine, m: Member, r: IssueResult): ExecTarget | undefined {
  const via = r.effects.map((x) => x.effect).find((x) => 'exec' in x) as { exec: string } | undefined;
  const v = (m.sqe.fields ?? {})[via?.exec === 'fd' ? 'fd' : 'addr'];
  const name = v && typeof v === 'object' ? ('path' in v ? v.path : 'fd' in v ? v.fd : undefined) : undefined;
  const f = name ? e.world.fixtures[name] : undefined;
  if (!f) return undefined;
  const model = kindOf(e.world.fx, f).model;
  const argvRewritten = model.argv_rewritten === true;
  return model.runs_helper && hasParam(e.world.fx, f, 'exit') ? { exit: intParam(e.world.fx, f, 'exit'), argvRewritten } : { argvRewritten };
}

/** Runs the members a CLONE stole, in the new task, with the spawn-context rules. */
export function runSpawn(e: Engine, clone: Member, rest: Member[], parent: Task, resume?: { task: Task; at: number; prevUd?: number }): void {
  const released: FdEntry[] = [];
  const before = new Map([...e.world.pipes].map(([k, p]) => [k, p.writers]));
  try {
    spawnChain(e, clone, rest, parent, resume, released);
  } finally {
    // the task's own task work (fput of what it closed) runs when it exits or returns to userspace
    releaseEnds(e.world, released);
    for (const [name, p] of e.world.pipes) if (p.writers === 0 && (before.get(name) ?? 0) > 0) wake(e, name);
  }
}

function spawnChain(e: Engine, clone: Member, rest: Member[], parent: Task, resume: { task: Task; at: number; prevUd?: number } | undefined, released: FdEntry[]): void {
  const task = resume?.task ?? forkTask(e.world, parent, clone.sqe.fields?.personality);
  if (!resume && e.ring.flags.includes('IORING_SETUP_DEFER_TASKRUN') && switchValue(e.s, 'spawn.task.wakes-waiter') === false) e.unpredictable = true;
  let prevUd = resume?.prevUd;
  for (let i = resume?.at ?? 0; i < rest.length; i++) {
    const m = rest[i]!;
    const next = rest[i + 1];
    // each switch is read only where it decides something, so that a divergence is named only when it matters
    const guard = next?.op?.links_to_previous && switchValue(e.s, 'spawn.link-timeout.guards') === true ? next : undefined;
    const ctx = ctxFor(e, m, task, { in_link: true, has_next: next !== undefined, prev_op: rest[i - 1]?.op?.short ?? clone.op!.short });
    if (namesRecycledFd(e.world, task, m)) e.undetermined = true;
    let r: IssueResult;
    if (m.op!.links_to_previous) {
      switchValue(e.s, 'spawn.link-timeout.guards'); // reached as a member: only a tree that issues it gets here
      r = fixed('spawn.link-timeout.guards', ruleRes(e.s, 'spawn.link-timeout.guards'));
    }
    else r = issueResult(e.s, m.op!, ctx);
    if (r.undetermined && (next || has(m, 'IOSQE_CQE_SKIP_SUCCESS'))) e.undetermined = true;
    if (r.issueError) r = { ...r, res: { eq: ruleRes(e.s, 'spawn.member.issue-error-cancels') }, failed: true };
    const extra = r.issueError ? ['spawn.member.issue-error-cancels'] : [];

    if (guard) {
      const lt = issueResult(e.s, guard.op!, ctxFor(e, guard, task, { in_link: true, has_next: false, prev_op: m.op!.short },
        { pending: r.pending, waits_armed: r.waitsArmed ?? false, deferred: r.deferred, deferred_ms: 0, res: 'eq' in r.res ? r.res.eq : 0, may_punt: false }));
      if (lt.prev) {
        raceOfPosted(e, r, lt.prev);
        r = { ...r, res: lt.prev, failed: true, pending: false };
      }
      postResult(e, guard, lt, ['spawn.link-timeout.guards']);
    }
    if (r.pending) {
      expectCqe(e, m.ud, r.res, [r.rule, 'spawn.member.blocking-releases-ring']);
      for (const h of rest.slice(i + 1)) expectCqe(e, h.ud, { pending: true }, ['chain.pending.holds-link']);
      const pipe = pipeOf(e, m);
      const at = i;
      if (pipe) e.waiters.push({ pipe, spawnHead: clone.ud, resume: () => runSpawn(e, clone, rest, parent, { task, at, ...(prevUd !== undefined ? { prevUd } : {}) }) });
      else e.tasks.push({ head: clone.ud, outcome: 'none' });
      return;
    }
    if (r.deferred && switchValue(e.s, 'spawn.member.deferred-waits') === false) {
      // the tree issues the next member at once and completes this one later, failure or not
      postResult(e, m, r, ['spawn.member.deferred-waits']);
      if (guard) i++;
      continue;
    }
    postResult(e, m, r, ['spawn.member.in-order', ...extra]);
    const touched = applyEffects(e.world, task, m, r, released);
    if (prevUd !== undefined) e.order.push([prevUd, m.ud]);
    // a CQE the submitter's task work posts may come after the ones the task flushes (a tree that does not keep link order)
    prevUd = r.taskWork && switchValue(e.s, 'spawn.member.cqe-before-next') === false ? undefined : m.ud;
    if (guard) i++;
    for (const pipe of touched) wake(e, pipe);
    const after = rest.slice(i + 1);
    if (!r.failed && r.effects.some((x) => 'exec' in x.effect)) {
      cancelAll(e, after, 'spawn.exec.success-ends-chain');
      dropTask(e.world, task, true);
      const target = execTarget(e, m, r);
      const state = taskState(e, clone);
      e.tasks.push({ head: clone.ud, outcome: 'exec', exit: target?.exit ?? 0, report: { ...report(task, m, target), ...state, ...idsOf(e, task) }, reap: reapOf(e, state.exit_signal!) });
      return;
    }
    if (r.failed && after.length && !has(m, 'IOSQE_IO_HARDLINK')) {
      cancelAll(e, after, 'spawn.member.failure-cancels-rest');
      break;
    }
  }
  dropTask(e.world, task);
  // spawn.task.reaped-with-wall: it ends with the exit_signal it was created with
  e.tasks.push({ head: clone.ud, outcome: 'killed', reap: reapOf(e, Number(switchValue(e.s, 'spawn.task.reaped-with-wall'))) });
}
