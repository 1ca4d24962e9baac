import { SQE_SLOTS, type BufferBytes, type CqeExpect, type Expectation, type HelperReport } from '../spec/types.js';
import type { ExecForm, ExecValue } from './execForm.js';
import { sigblkMask } from './renderSpawnExpect.js';

/**
 * The executor's input: an exec form as lines of space-separated tokens, strings as lowercase hex
 * ("-" for the empty string), read by runtime/program.c (t_program_parse). One program:
 *
 *   P <id>                                   begins it
 *   T <reap_ms> <isolate> <reaped> <cqe grace_ms> <task grace_ms>
 *   R <entries> <setup flags> <flag names>
 *   N <cq_entries>                           (the CQ ring's size, IORING_SETUP_CQSIZE; optional)
 *   C <uid> <gid> <nproc>                    (credentials, optional)
 *   O <opcode> <op>                          (one per probed opcode)
 *   F <kind index> <name> <nargs> <arg>...   (one per fixture, in order)
 *   Q <user_data> <opcode> <flags> <op> <nvalues> {<slot> <value>}...
 *       value: i <u64> | f <fixture> | w <fixture> | p <fixture> | b <size> | o <n> <size>... | s <hex> | t <sec> <nsec> | v <n> <hex>...
 *              | r <user_data> (the res of that request's CQE, taken before this SQE's batch is filled)
 *   B <n> <size>...                          (batches)
 *   K <n> <to_submit>...                     (io_uring_enter()'s to_submit per batch, optional: else io_uring_submit())
 *   A <opcode> <user_data>                   (the request submitted after the chain and its tasks, optional)
 *   S <k> <n> <user_data>...                 (settle before submission k + 1, k >= 1)
 *   E <0 want | 1 divergence>                then its lines:
 *     g <res>                                io_uring_setup() must fail with res (then nothing else runs)
 *     s <n> <res>...                         submitted
 *     c <user_data> <kind> <check_flags> <flags> <n> <res>...   (kind 0 eq 1 one_of 2 min 3 pending 4 absent)
 *     o <before> <after>
 *     t <head> <outcome 0 exec 1 killed 2 none> <exit> <report index or -1> <reap 0 any 1 plain 2 __WALL> <sigchld -1 0 1>
 *     r <argv?> <n> <hex>... <envp?> <n> <hex>... <cwd hex or *> <nopen> {<fixture> <end>}... <nclosed> {<fixture> <end>}...
 *       <ring fd closed> <check flags> <flags clear> <flags set> <exit_signal or -1> <parent> <umask> <sigign> <sigblk 0 any 1 submitter's 2 mask> <mask>
 *     u <nclosed> {<fixture> <end>}... <opened min> <opened max> <fs kept> <no stray> <after res or - >   (the submitter after the chain)
 *     m <user_data> <slot> <nruns> {<zero> <pattern> <len>}...                          (a buffer it must hold)
 *     x <user_data> <slot> <one pipe> <n> {<is fd> <eq or F_GETFL bits> <cloexec>}...   (ints a request stored in a buffer)
 *     y <fixture> <size> <check bytes> <nruns> {<zero> <pattern> <len>}...           (a file fixture after the chain)
 *     n <fixture> <end r|w> <bytes it can read>                                       (a stream fixture's end after the chain)
 *   D <id> <reason> <predicted 0|1>          (a known divergence)
 *   Z                                        ends it
 */

export const hex = (s: string): string => (s === '' ? '-' : Buffer.from(s, 'utf8').toString('hex'));

const SLOT_INDEX = new Map(SQE_SLOTS.map((s, i) => [s, i]));

function valueTokens(v: ExecValue): string {
  if ('int' in v) return `i ${v.int}`;
  if ('fd' in v) return `${v.end === 'w' ? 'w' : 'f'} ${v.fd}`;
  if ('path' in v) return `p ${v.path}`;
  if ('buf' in v) return `b ${v.buf}`;
  if ('iov' in v) return `o ${v.iov.length}${v.iov.map((n) => ` ${n}`).join('')}`;
  if ('str' in v) return `s ${hex(v.str)}`;
  if ('ts' in v) return `t ${v.ts.sec} ${v.ts.nsec}`;
  if ('result' in v) return `r ${v.result}`;
  return `v ${v.strv.length}${v.strv.map((s) => ` ${hex(s)}`).join('')}`;
}

const RES_KIND = (r: CqeExpect['res']): [number, number[]] =>
  'eq' in r ? [0, [r.eq]] : 'one_of' in r ? [1, r.one_of] : 'min' in r ? [2, [r.min]] : 'pending' in r ? [3, []] : [4, []];

const OUTCOME = { exec: 0, killed: 1, none: 2 } as const;

function reportLine(r: HelperReport, form: ExecForm): string {
  const list = (v: string[] | undefined) => (v ? `1 ${v.length}${v.map((s) => ` ${hex(s)}`).join('')}` : '0 0');
  const fds = (keys: string[] | undefined) => {
    const refs = (keys ?? []).map((k) => form.fdRefs.get(k)!);
    return `${refs.length}${refs.map((f) => ` ${f.fixture} ${f.end}`).join('')}`;
  };
  const flags = r.flags_clear !== undefined || r.flags_set !== undefined;
  const sigblk = !r.sigblk ? 0 : 'of_submitter' in r.sigblk ? 1 : 2;
  const state = [r.ring_fd_closed ? 1 : 0, flags ? 1 : 0, r.flags_clear ?? 0, r.flags_set ?? 0, r.exit_signal ?? -1,
    r.parent_is_submitter ? 1 : 0, r.umask_of_submitter ? 1 : 0, r.sigign_of_submitter ? 1 : 0, sigblk, sigblkMask(r), r.uid ?? -1, r.gid ?? -1, fds(r.fds_installed)];
  return `r ${list(r.argv)} ${list(r.envp)} ${r.cwd === undefined ? '*' : hex(r.cwd)} ${fds(r.fds_open)} ${fds(r.fds_closed)} ${state.join(' ')}`;
}

const REAP = { plain: 1, wall: 2 } as const;
const SLOT_OF = new Map(SQE_SLOTS.map((s, i) => [s, i]));

/** Runs of bytes as the runtime's t_parse_runs reads them: a count, then <zero> <pattern> <len> each. */
const runTokens = (runs: BufferBytes[]) => `${runs.length}${runs.map((x) => ('zero' in x ? ` 1 0 ${x.len}` : ` 0 ${x.pattern} ${x.len}`)).join('')}`;

function fixtureIndex(form: ExecForm, name: string, what: string): number {
  const k = form.fixtures.findIndex((f) => f.name === name);
  if (k < 0) throw new Error(`${what}: ${name} is not a fixture of the case`);
  return k;
}

function submitterLines(e: Expectation, form: ExecForm): string[] {
  const u = e.submitter;
  if (!u) return [];
  const refs = u.fds_closed.map((k) => form.fdRefs.get(k)!);
  return [
    `u ${refs.length}${refs.map((f) => ` ${f.fixture} ${f.end}`).join('')} ${u.fds_opened[0]} ${u.fds_opened[1]} ${u.fs_kept ? 1 : 0} ${u.no_stray_children ? 1 : 0} ${u.ring_after ? u.ring_after.res : '-'}`,
    ...u.buffers.map((b) => `m ${b.user_data} ${SLOT_OF.get(b.slot)} ${runTokens(b.bytes)}`),
  ];
}

function expectLines(set: 0 | 1, e: Expectation, form: ExecForm): string[] {
  const out = [`E ${set}`, ...(e.setup ? [`g ${e.setup.res}`] : []), `s ${e.submitted.length}${e.submitted.map((n) => ` ${n}`).join('')}`];
  for (const w of e.cqes) {
    const [kind, res] = RES_KIND(w.res);
    out.push(`c ${w.user_data} ${kind} ${w.flags === undefined ? 0 : 1} ${w.flags ?? 0} ${res.length}${res.map((n) => ` ${n}`).join('')}`);
  }
  for (const [a, b] of e.order) out.push(`o ${a} ${b}`);
  const reports: string[] = [];
  for (const t of e.spawn?.tasks ?? []) {
    let index = -1;
    if (t.report && t.outcome === 'exec') {
      const line = reportLine(t.report, form);
      index = reports.indexOf(line);
      if (index < 0) index = reports.push(line) - 1;
    }
    out.push(`t ${t.head} ${OUTCOME[t.outcome]} ${t.outcome === 'exec' ? t.exit ?? 0 : 0} ${index} ${t.reap ? REAP[t.reap.how] : 0} ${t.reap ? Number(t.reap.sigchld) : -1}`);
  }
  const files = (e.files ?? []).map((w) => `y ${fixtureIndex(form, w.fixture, 'files')} ${w.size} ${w.bytes ? 1 : 0} ${runTokens(w.bytes ?? [])}`);
  const streams = (e.streams ?? []).map((w) => `n ${fixtureIndex(form, w.fixture, 'streams')} ${w.end} ${w.avail}`);
  const stored = (e.fds_stored ?? []).map((w) => `x ${w.user_data} ${SLOT_OF.get(w.slot)} ${w.one_pipe ? 1 : 0} ${w.ints.length}${w.ints.map((x) => ('eq' in x ? ` 0 ${x.eq} 0` : ` 1 ${x.fl} ${x.cloexec ? 1 : 0}`)).join('')}`);
  // reports after the tasks that name them by index
  return [...out, ...reports, ...submitterLines(e, form), ...stored, ...files, ...streams];
}

/**
 * How long the executor keeps waiting once what it awaits came: `cqeMs` after the last awaited CQE
 * (for CQEs that must not come), `taskMs` after the last spawned task ended (for its report, up to
 * the report pipe's EOF).
 */
export interface Grace {
  cqeMs: number;
  taskMs: number;
}

export const uniformGrace = (ms: number): Grace => ({ cqeMs: ms, taskMs: ms });

/** Encodes one exec form for the executor. */
export function encodeExecForm(form: ExecForm, grace: Grace = uniformGrace(50)): string {
  const lines = [
    `P ${hex(form.id)}`,
    `T ${form.reapTimeoutMs} ${form.isolate ? 1 : 0} ${form.reaped} ${grace.cqeMs} ${grace.taskMs}`,
    `R ${form.ring.entries} ${form.ring.flagBits} ${hex(form.ring.flags.length ? form.ring.flags.join(' | ') : '0')}`,
    ...(form.ring.cqEntries !== undefined ? [`N ${form.ring.cqEntries}`] : []),
    ...(form.credentials ? [`C ${form.credentials.uid} ${form.credentials.gid} ${form.credentials.nproc ?? 0}`] : []),
    ...form.probe.map((p) => `O ${p.opcode} ${hex(p.op)}`),
    ...form.fixtures.map((f) => `F ${f.kindIndex} ${hex(f.name)} ${f.args.length}${f.args.map((a) => ` ${a}`).join('')}`),
    ...form.sqes.map((s) => `Q ${s.user_data} ${s.opcode} ${s.flagBits} ${hex(s.op)} ${s.slots.length}${s.slots.map(([slot, v]) => ` ${SLOT_INDEX.get(slot)} ${valueTokens(v)}`).join('')}`),
    `B ${form.batches.length}${form.batches.map((n) => ` ${n}`).join('')}`,
    ...(form.toSubmit ? [`K ${form.toSubmit.length}${form.toSubmit.map((n) => ` ${n}`).join('')}`] : []),
    ...(form.ringAfter ? [`A ${form.ringAfter.opcode} ${form.ringAfter.user_data}`] : []),
    ...form.settle.flatMap((uds, k) => (uds.length ? [`S ${k + 1} ${uds.length}${uds.map((u) => ` ${u}`).join('')}`] : [])),
    ...expectLines(0, form.want, form),
    ...(form.divergence?.expect ? expectLines(1, form.divergence.expect, form) : []),
    ...(form.divergence ? [`D ${hex(form.divergence.id)} ${hex(form.divergence.reason)} ${form.divergence.expect ? 1 : 0}`] : []),
    'Z',
  ];
  return lines.join('\n') + '\n';
}
