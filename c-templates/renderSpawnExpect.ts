import type { BufferBytes, HelperReport, SpawnExpect, SubmitterExpect, TaskReap } from '../spec/types.js';
import type { ExecForm } from './execForm.js';
import { cComment } from './cComment.js';
import { cInteger } from './cInteger.js';
import { cString } from './cString.js';

/** T_MAX_TASKS in runtime/spawn.c: how many tasks it reaps and checks. */
export const MAX_SPAWN_TASKS = 32;

const OUTCOME = { exec: 'T_TASK_EXEC', killed: 'T_TASK_KILLED', none: 'T_TASK_NONE' } as const;

/** Tasks whose end is waited for: every one but those expected to stay blocked. */
export function reapedTasks(s: SpawnExpect | undefined): number {
  return s ? s.tasks.filter((t) => t.outcome !== 'none').length : 0;
}

/** Where the fd number of a report's fixture fd key is kept: "p0.r" -> &fixtures[FX_P0].fd, "p0.w" -> .wfd. */
export function fixtureFdRef(key: string, form: ExecForm): string {
  const ref = form.fdRefs.get(key);
  if (!ref) throw new Error(`report fd ${key}: not resolved in the exec form`);
  return `&fixtures[${form.fixtures[ref.fixture]!.ident}].${ref.end === 'w' ? 'wfd' : 'fd'}`;
}

/** The parts of a report expectation, each as the initializer of its member. */
function reportMembers(prefix: string, r: HelperReport, form: ExecForm, decls: string[]): string[] {
  const list = (what: 'argv' | 'envp') => {
    const v = r[what];
    if (!v) return `{ 0, NULL, 0 }`;
    if (!v.length) return `{ 1, NULL, 0 }`;
    decls.push(`static const char *const ${prefix}_${what}[] = { ${v.map(cString).join(', ')} };`);
    return `{ 1, ${prefix}_${what}, ${v.length} }`;
  };
  const fds = (what: 'open' | 'closed' | 'installed') => {
    const keys = r[`fds_${what}`] ?? [];
    if (!keys.length) return ['NULL', '0'];
    const refs = keys.map((k) => `{ ${cString(k)}, ${fixtureFdRef(k, form)} }`);
    decls.push(`static const struct t_fd_ref ${prefix}_${what}[] = { ${refs.join(', ')} };`);
    return [`${prefix}_${what}`, `${keys.length}`];
  };
  const [argv, envp] = [list('argv'), list('envp')];
  const [open, nrOpen] = fds('open');
  const [closed, nrClosed] = fds('closed');
  const [installed, nrInstalled] = fds('installed');
  const u64 = (n: bigint) => `0x${n.toString(16)}ULL`;
  const flags = r.flags_clear !== undefined || r.flags_set !== undefined;
  return [
    `.argv = ${argv}`,
    `.envp = ${envp}`,
    `.cwd = ${r.cwd === undefined ? 'NULL' : cString(r.cwd)}`,
    `.fds_open = ${open}, .nr_fds_open = ${nrOpen}`,
    `.fds_closed = ${closed}, .nr_fds_closed = ${nrClosed}`,
    `.ring_fd_closed = ${r.ring_fd_closed ? 1 : 0}`,
    `.check_flags = ${flags ? 1 : 0}, .flags_clear = ${u64(BigInt(r.flags_clear ?? 0))}, .flags_set = ${u64(BigInt(r.flags_set ?? 0))}`,
    `.exit_signal = ${r.exit_signal ?? -1}`,
    `.parent_is_submitter = ${r.parent_is_submitter ? 1 : 0}`,
    `.umask_of_submitter = ${r.umask_of_submitter ? 1 : 0}, .sigign_of_submitter = ${r.sigign_of_submitter ? 1 : 0}`,
    `.sigblk = ${!r.sigblk ? 'T_ANY' : 'of_submitter' in r.sigblk ? 'T_SAME_AS_SUBMITTER' : 'T_MASK'}, .sigblk_mask = ${u64(sigblkMask(r))}`,
    `.uid = ${r.uid ?? -1}, .gid = ${r.gid ?? -1}`,
    `.fds_installed = ${installed}, .nr_fds_installed = ${nrInstalled}`,
  ];
}

/** The blocked-signal mask of a report expectation that names the signals left unblocked: SigBlk's bits, bit n - 1 for signal n. */
export function sigblkMask(r: HelperReport): bigint {
  if (!r.sigblk || !('all_but' in r.sigblk)) return 0n;
  return r.sigblk.all_but.reduce((m, n) => m & ~(1n << BigInt(n - 1)), (1n << 64n) - 1n);
}

const REAP = { plain: 'T_REAP_PLAIN', wall: 'T_REAP_WALL' } as const;

/** A task's reap expectation as C members. */
function reapMembers(r: TaskReap | undefined): string {
  return r ? `.reap = ${REAP[r.how]}, .sigchld = ${r.sigchld ? 1 : 0}` : '.reap = T_REAP_ANY, .sigchld = -1';
}

/** The C name of the buffer an SQE field points at (renderFieldValue.ts: buf<user_data>_<slot>). */
const bufName = (ud: number, slot: string) => `buf${ud}_${slot}`;

/** A run of bytes as a `struct t_byte_run` initialiser (buffers and files share the type). */
export function runsRow(b: BufferBytes): string {
  return 'zero' in b ? `{ .zero = 1, .len = ${b.len} }` : `{ .pattern = ${b.pattern}, .len = ${b.len} }`;
}

/** The submitter expectation as C: `<name>_submitter`, with its closed fds and buffers. */
function renderSubmitter(name: string, u: SubmitterExpect, form: ExecForm, decls: string[]): string {
  let closed = ['NULL', '0'];
  if (u.fds_closed.length) {
    decls.push(`static const struct t_fd_ref ${name}_submitter_closed[] = { ${u.fds_closed.map((k) => `{ ${cString(k)}, ${fixtureFdRef(k, form)} }`).join(', ')} };`);
    closed = [`${name}_submitter_closed`, `${u.fds_closed.length}`];
  }
  const bufs = u.buffers.map((b, i) => {
    const sqe = form.sqes.find((q) => q.user_data === b.user_data);
    const v = sqe?.slots.find(([slot]) => slot === b.slot)?.[1];
    if (!v || !('buf' in v)) throw new Error(`${name}: submitter buffer of user_data ${b.user_data} ${b.slot}: that field is not a buffer`);
    const runs = b.bytes.length ? `${name}_buf${i + 1}_runs` : 'NULL';
    if (b.bytes.length) decls.push(`static const struct t_byte_run ${runs}[] = { ${b.bytes.map(runsRow).join(', ')} };`);
    return `	{ .user_data = ${b.user_data}, .buf = ${bufName(b.user_data, b.slot)}, .size = ${v.buf}, .runs = ${runs}, .nr_runs = ${b.bytes.length} },`;
  });
  if (bufs.length) decls.push(`/* what requests read into the case's buffers */`, `static const struct t_buf_expect ${name}_bufs[] = {`, ...bufs, '};');
  decls.push(
    `static const struct t_submitter_expect ${name}_submitter = {`,
    `	.fds_closed = ${closed[0]}, .nr_fds_closed = ${closed[1]},`,
    `	.opened_min = ${u.fds_opened[0]}, .opened_max = ${u.fds_opened[1]},`,
    `	.fs_kept = ${u.fs_kept ? 1 : 0}, .no_stray = ${u.no_stray_children ? 1 : 0},`,
    `	.bufs = ${bufs.length ? `${name}_bufs` : 'NULL'}, .nr_bufs = ${bufs.length},`,
    u.ring_after ? `	.check_after = 1, .after_res = ${u.ring_after.res}, /* ${cComment(u.ring_after.op)} after the chain */` : '\t.check_after = 0,',
    '};',
  );
  return `&${name}_submitter`;
}

/**
 * A spawn expectation as C data: one `struct t_report_expect` per distinct report (tasks that
 * expect the same report share it, which lets the runtime pair them with reports in arrival
 * order), `<name>_tasks[]` and `static const struct t_spawn_expect <name>_spawn`.
 */
export function renderSpawnExpect(name: string, s: SpawnExpect, form: ExecForm, submitter?: SubmitterExpect): string {
  if (s.tasks.length > MAX_SPAWN_TASKS) throw new Error(`${name}: ${s.tasks.length} spawned tasks, at most ${MAX_SPAWN_TASKS}`);
  const decls: string[] = [];
  const reports = new Map<string, string>();
  const rows = s.tasks.map((t, i) => {
    if (!OUTCOME[t.outcome]) throw new Error(`${name}: task ${i + 1}: unknown outcome "${t.outcome}"`);
    if (t.exit !== undefined && t.outcome !== 'exec') throw new Error(`${name}: task ${i + 1}: exit is only for an exec outcome`);
    let report = 'NULL';
    if (t.report && t.outcome === 'exec') {
      const key = JSON.stringify(t.report);
      if (!reports.has(key)) {
        const id = `${name}_report${reports.size + 1}`;
        const members = reportMembers(id, t.report, form, decls);
        decls.push(`static const struct t_report_expect ${id} = {`, ...members.map((m) => `\t${m},`), '};');
        reports.set(key, id);
      }
      report = `&${reports.get(key)}`;
    }
    const exit = t.outcome === 'exec' ? cInteger(t.exit ?? 0, { type: 'int', bits: 8, signed: false }) : '0';
    const what = t.outcome === 'exec' ? `exec, exit ${t.exit ?? 0}` : t.outcome;
    return `\t/* the task of user_data ${t.head}: ${cComment(what)} */\n\t{ .head = ${t.head}, .outcome = ${OUTCOME[t.outcome]}, .exit = ${exit}, .report = ${report}, ${reapMembers(t.reap)} },`;
  });
  const sub = submitter ? renderSubmitter(name, submitter, form, decls) : 'NULL';
  const out = [...decls];
  if (rows.length) out.push(`static const struct t_task_expect ${name}_tasks[] = {`, ...rows, '};');
  out.push(`static const struct t_spawn_expect ${name}_spawn = { .tasks = ${rows.length ? `${name}_tasks` : 'NULL'}, .nr_tasks = ${rows.length}, .submitter = ${sub} };`, '');
  return out.join('\n');
}
