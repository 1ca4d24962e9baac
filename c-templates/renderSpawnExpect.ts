import type { HelperReport, SpawnExpect } from '../spec/types.js';
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
  const fds = (what: 'open' | 'closed') => {
    const keys = r[`fds_${what}`] ?? [];
    if (!keys.length) return ['NULL', '0'];
    const refs = keys.map((k) => `{ ${cString(k)}, ${fixtureFdRef(k, form)} }`);
    decls.push(`static const struct t_fd_ref ${prefix}_${what}[] = { ${refs.join(', ')} };`);
    return [`${prefix}_${what}`, `${keys.length}`];
  };
  const [argv, envp] = [list('argv'), list('envp')];
  const [open, nrOpen] = fds('open');
  const [closed, nrClosed] = fds('closed');
  return [
    `.argv = ${argv}`,
    `.envp = ${envp}`,
    `.cwd = ${r.cwd === undefined ? 'NULL' : cString(r.cwd)}`,
    `.fds_open = ${open}, .nr_fds_open = ${nrOpen}`,
    `.fds_closed = ${closed}, .nr_fds_closed = ${nrClosed}`,
  ];
}

/**
 * A spawn expectation as C data: one `struct t_report_expect` per distinct report (tasks that
 * expect the same report share it, which lets the runtime pair them with reports in arrival
 * order), `<name>_tasks[]` and `static const struct t_spawn_expect <name>_spawn`.
 */
export function renderSpawnExpect(name: string, s: SpawnExpect, form: ExecForm): string {
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
    return `\t/* the task of user_data ${t.head}: ${cComment(what)} */\n\t{ .head = ${t.head}, .outcome = ${OUTCOME[t.outcome]}, .exit = ${exit}, .report = ${report} },`;
  });
  const out = [...decls];
  if (rows.length) out.push(`static const struct t_task_expect ${name}_tasks[] = {`, ...rows, '};');
  out.push(`static const struct t_spawn_expect ${name}_spawn = { .tasks = ${rows.length ? `${name}_tasks` : 'NULL'}, .nr_tasks = ${rows.length} };`, '');
  return out.join('\n');
}
