import type { Expectation, OpSpec, ProfileSpec, RingSpec } from '../spec/types.js';
import type { ExecForm, ExecSqe } from './execForm.js';
import { cComment } from './cComment.js';
import { renderChain } from './renderChain.js';
import { renderConstants } from './renderConstants.js';
import { renderExpect } from './renderExpect.js';
import { renderFixtures } from './renderFixtures.js';
import { renderMain } from './renderMain.js';
import { opMacro } from './opMacro.js';
import { sliceRuntime } from './sliceRuntime.js';
import { renderSetupRefused } from './renderSetupRefused.js';
import { programHead } from './programHead.js';

export interface RenderOptions {
  /** spec.ring: flag values, errno names for pretty printing */
  ring: RingSpec;
  profile: ProfileSpec;
  /** spec.ops: each op's liburing prep helper and constant names; without it SQEs are written field by field, values as numbers */
  ops?: Record<string, OpSpec>;
}

/** Only for the layout (one function per chain): a member with one of these flags continues its chain into the next SQE. */
const LINKING = new Set(['IOSQE_IO_LINK', 'IOSQE_IO_HARDLINK']);

/** A submission's SQEs cut into chains: each ends at an SQE that links to nothing, or at the submission's end. */
function chainsOf(sqes: ExecSqe[]): ExecSqe[][] {
  const out: ExecSqe[][] = [];
  let cur: ExecSqe[] = [];
  for (const s of sqes) {
    cur.push(s);
    if (!s.flags.some((f) => LINKING.has(f))) (out.push(cur), (cur = []));
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Runtime sections every case calls; fixtures add their own. */
const CORE = ['t_ignore_sigpipe', 't_ring_setup', 't_require_opcodes', 't_submit', 't_reap', 't_verdict', 't_result_print'];
/** Runtime sections of a case whose expectation has spawned tasks. */
const SPAWN = ['t_spawn', 't_spawn_collect', 't_check_spawn', 't_reap_children'];

/** The res kinds of an expectation's CQEs. */
function resKinds(e: Expectation | undefined): Set<string> {
  return new Set((e?.cqes ?? []).flatMap((w) => Object.keys(w.res)));
}

/**
 * Renders an exec form as one standalone C program in the style of a liburing test: the runtime
 * sections it needs inlined (and of those, only the parts its expectations use), one test_chain function per chain,
 * expectations as tables, and main returning T_EXIT_PASS, T_EXIT_FAIL or T_EXIT_SKIP. Turns data into C; decides nothing.
 */
export function renderCase(form: ExecForm, o: RenderOptions): string {
  if (form.want.setup) return renderSetupRefused(form, o, form.want.setup);
  const div = form.divergence;
  const spawns = form.want.spawn !== undefined || div?.expect?.spawn !== undefined || form.want.submitter !== undefined;
  const settle = form.settle;
  const fx = renderFixtures(form.fixtures);
  // a temp dir only where something can land in the cwd: fixtures, a path the case names, spawned tasks
  const tmpdir = form.fixtures.length > 0 || spawns || form.sqes.some((s) => s.slots.some(([, v]) => 'str' in v || 'path' in v));
  // tasks can be spawned only where an expectation has a spawn part; a submitter part alone checks the state after a chain
  const tasks = form.want.spawn !== undefined || div?.expect?.spawn !== undefined;
  const kinds = new Set([...resKinds(form.want), ...resKinds(div?.expect)]);
  const runtime = sliceRuntime([
    ...(form.toSubmit ? [...CORE.filter((x) => x !== 't_submit'), 't_submit_n'] : CORE), ...(tmpdir ? ['t_tmpdir'] : []), ...(form.sqes.length ? ['t_sqe'] : []), ...fx.sections, ...(spawns ? SPAWN : []), ...(tasks ? ['t_check_tasks', 't_check_reports'] : []), ...(form.ringAfter ? ['t_ring_after'] : []),
    ...(settle.some((u) => u.length) ? ['t_settle', ...(spawns ? ['t_tasks_settle'] : [])] : []), ...(form.want.order.length || div?.expect?.order.length ? ['t_check_order'] : []),
    ...(form.sqes.some((s) => s.slots.some(([, v]) => 'result' in v)) ? ['t_result_of'] : []),
    ...(form.want.fds_stored?.length || div?.expect?.fds_stored?.length ? ['t_check_fds'] : []),
    ...(form.want.files?.length || div?.expect?.files?.length ? ['t_check_files'] : []),
    ...(form.want.streams?.length || div?.expect?.streams?.length ? ['t_check_streams'] : []), ...(form.credentials ? ['t_drop_credentials'] : []),
    // parts of sections: a one_of message, a no-CQE message, the wait for an SQPOLL thread (only a ring with setup flags can have one)
    ...(kinds.has('one_of') ? ['f_one_of'] : []), ...(kinds.has('pending') || kinds.has('absent') ? ['f_no_cqe'] : []),
    ...(form.ring.flags.length ? ['f_setup_flags'] : []),
  ]);
  let first = 0;
  const perBatch = form.batches.map((n) => chainsOf(form.sqes.slice(first, (first += n))));
  const nrChains = perBatch.reduce((a, b) => a + b.length, 0);
  let k = 0;
  const sqeSpec = (op: string) => ({ ...(o.ops?.[op] ? { op: o.ops[op] } : {}), constants: o.ring.constants });
  const chains = perBatch.map((cs) => cs.map((sqes) => {
    const fn = nrChains === 1 ? 'test_chain' : `test_chain_${++k}`;
    return { fn, ...renderChain(fn, sqes, form.fixtures, sqeSpec) };
  }));
  const opName = (op: string) => opMacro(op);
  const opOf = (ud: number) => form.sqes.find((s) => s.user_data === ud)?.op ?? '?';
  return [
    ...programHead(form, runtime.includes, div ? ['/*', ` * Known divergence ${cComment(`${div.id}: ${div.reason}`)}`, ` * Source: ${cComment(div.source)}`, ' */'] : []),
    renderConstants(form, o.ring, chains.flat().flatMap((c) => c.names), o.ops),
    runtime.code,
    '/* ---- the case ---- */',
    ...(fx.code ? [fx.code] : []),
    ...chains.flat().map((c) => c.code),
    '/* what the spec expects; comments name the rules that decided each CQE */',
    renderExpect('want', form.want, o.ring, opOf, form),
    ...(div?.expect ? [`/* what this profile does instead: divergence ${cComment(div.id)} */`, renderExpect('divergence', div.expect, o.ring, opOf, form)] : []),
    renderMain({
      ops: form.probe.map((p) => ({ name: opName(p.op), op: p.op })),
      labels: form.sqes.map((s) => ({ user_data: s.user_data, op: s.op })),
      setupFlagNames: form.ring.flags,
      ...(form.ring.cqEntries !== undefined ? { cqEntries: form.ring.cqEntries } : {}),
      batches: chains.map((cs) => cs.map((c) => c.fn)),
      ...(form.toSubmit ? { toSubmit: form.toSubmit } : {}),
      hasFixtures: fx.code !== '',
      tmpdir,
      ...(div ? { divergence: { id: div.id, reason: div.reason, predicted: div.expect !== undefined } } : {}),
      settle,
      ...(form.credentials ? { credentials: form.credentials } : {}),
      ...(spawns ? { spawn: { reaped: form.reaped } } : {}),
      ...(form.ringAfter ? { ringAfter: { op: form.ringAfter.op, name: opName(form.ringAfter.op), user_data: form.ringAfter.user_data } } : {}),
    }),
  ].join('\n');
}
