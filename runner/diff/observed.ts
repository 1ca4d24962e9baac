import type { Expectation } from '../../spec/types.js';
import type { Verdict } from '../verdict.js';

/**
 * What a target did with a chain, in a form two targets can be compared by: how the run ended, what
 * each submit returned, each user_data's CQEs (res and flags, in arrival order), how each spawned task
 * ended, and the kinds of kernel findings. A result the spec leaves open on either side (one_of, min)
 * is compared as "a CQE came", not by its value.
 */
export interface Observed {
  end: string;
  submitted: number[];
  cqes: Record<string, string[]>;
  tasks: string[];
  findings: string[];
}

interface SpawnJson { tasks?: { exit: number | null; signal: number | null }[] }

/** user_data whose res the spec fixes (eq) on this expectation */
const fixedRes = (e: Expectation | undefined) => new Set((e?.cqes ?? []).filter((q) => 'eq' in q.res).map((q) => q.user_data));

export function observed(v: Verdict, fixed: Set<number>): Observed {
  const r = v.report;
  const cqes: Record<string, string[]> = {};
  for (const q of r?.cqes ?? []) (cqes[q.user_data] ??= []).push(fixed.has(q.user_data) ? `${q.res}/0x${q.flags.toString(16)}` : `came/0x${q.flags.toString(16)}`);
  const spawn = (r?.spawn ?? {}) as SpawnJson;
  const tasks = (spawn.tasks ?? []).map((t) => (t.exit !== null ? `exit ${t.exit}` : t.signal !== null ? `signal ${t.signal}` : '?')).sort();
  const end = v.outcome.status === 'exited' ? (v.outcome.signal !== undefined ? `signal ${v.outcome.signal}` : r ? 'ran' : `exit ${v.outcome.exitCode}`) : v.outcome.status;
  return { end, submitted: r?.submitted ?? [], cqes, tasks, findings: [...new Set(v.outcome.findings.map((f) => f.kind))].sort() };
}

/** The user_data both sides' expectations fix, so that only those are compared by value. */
export function fixedOnBoth(a: Expectation | undefined, b: Expectation | undefined): Set<number> {
  const fb = fixedRes(b);
  return new Set([...fixedRes(a)].filter((ud) => fb.has(ud)));
}

/** The parts of two observations that differ, one line each; empty when they agree. */
export function differences(a: Observed, b: Observed): string[] {
  const out: string[] = [];
  const cmp = (what: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${what}: ${JSON.stringify(x)} | ${JSON.stringify(y)}`);
  };
  cmp('end', a.end, b.end);
  cmp('submitted', a.submitted, b.submitted);
  for (const ud of [...new Set([...Object.keys(a.cqes), ...Object.keys(b.cqes)])].sort((x, y) => Number(x) - Number(y))) {
    cmp(`user_data ${ud}`, a.cqes[ud] ?? [], b.cqes[ud] ?? []);
  }
  cmp('tasks', a.tasks, b.tasks);
  cmp('findings', a.findings, b.findings);
  return out;
}
