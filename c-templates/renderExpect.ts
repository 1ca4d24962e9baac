import type { CqeExpect, Expectation, RingSpec } from '../spec/types.js';
import type { ExecForm } from './execForm.js';
import { cComment } from './cComment.js';
import { cInteger } from './cInteger.js';
import { cString } from './cString.js';
import { renderSpawnExpect, runsRow } from './renderSpawnExpect.js';

const MAX_ONE_OF = 8; // T_MAX_ONE_OF in runtime/expect.c
const RES = { type: '__s32', bits: 32, signed: true };

/** A res value as C: -125 is written -ECANCELED when ring.yaml names it. */
export function resText(n: number, ring: RingSpec): string {
  const name = n < 0 ? Object.entries(ring.errno).find(([, v]) => v === -n)?.[0] : undefined;
  return name ? `-${name}` : cInteger(n, RES);
}

function cqeEntry(w: CqeExpect, ring: RingSpec, opOf: (ud: number) => string): string {
  const r = w.res;
  const [kind, values] =
    'eq' in r ? ['T_RES_EQ', [r.eq]]
    : 'one_of' in r ? ['T_RES_ONE_OF', r.one_of]
    : 'min' in r ? ['T_RES_MIN', [r.min]]
    : 'pending' in r ? ['T_RES_PENDING', []]
    : 'absent' in r ? ['T_RES_ABSENT', []]
    : [undefined, []];
  if (!kind) throw new Error(`user_data ${w.user_data}: unknown res expectation ${JSON.stringify(r)}`);
  if (values.length > MAX_ONE_OF) throw new Error(`user_data ${w.user_data}: one_of has more than ${MAX_ONE_OF} values`);
  // T_RES_EQ is 0, the default
  const fields = [`.user_data = ${w.user_data}`, ...(kind === 'T_RES_EQ' ? [] : [`.kind = ${kind}`])];
  if (values.length) fields.push(`.nr_res = ${values.length}`, `.res = { ${values.map((v) => resText(v, ring)).join(', ')} }`);
  if (w.flags !== undefined) fields.push('.check_flags = 1', `.flags = ${cInteger(w.flags, { type: '__u32', bits: 32, signed: false })}`);
  const because = w.because.length ? `: ${w.because.join(', ')}` : '';
  const what = w.posted_by !== undefined ? `posted by ${opOf(w.posted_by)} (user_data ${w.posted_by})` : opOf(w.user_data);
  return `\t{ ${fields.join(', ')} }, /* ${cComment(what + because)} */`;
}

/**
 * An expectation as C data: `<name>_submitted[]`, `<name>_cqes[]` (several for one user_data, in
 * the order they must come, for a request that posts several), `<name>_order[]`, the spawn
 * tables when it expects spawned tasks (see renderSpawnExpect), and `static const struct t_expect
 * <name>`. Empty tables are left out (NULL, 0).
 */
export function renderExpect(name: string, e: Expectation, ring: RingSpec, opOf: (ud: number) => string, form: ExecForm): string {
  const out: string[] = [];
  const table = (suffix: string, type: string, rows: string[], sep: string) => {
    if (!rows.length) return ['NULL', '0'];
    out.push(`static const ${type} ${name}_${suffix}[] = {${sep}${rows.join(sep === '\n' ? '\n' : ', ')}${sep}};`);
    return [`${name}_${suffix}`, `${rows.length}`];
  };
  const [sub, nrSub] = table('submitted', 'int', e.submitted.map((n) => cInteger(n, RES)), ' ');
  const [cqes, nrCqes] = table('cqes', 'struct t_cqe_expect', e.cqes.map((w) => cqeEntry(w, ring, opOf)), '\n');
  const [order, nrOrder] = table('order', 'struct t_order', e.order.map(([a, b]) => `{ ${a}, ${b} }`), ' ');
  // the ints requests stored in the case's buffers (renderFieldValue.ts names a buffer buf<user_data>_<slot>)
  const fdRows = (e.fds_stored ?? []).map((w, i) => {
    const v = form.sqes.find((q) => q.user_data === w.user_data)?.slots.find(([slot]) => slot === w.slot)?.[1];
    if (!v || !('buf' in v)) throw new Error(`${name}: fds stored by user_data ${w.user_data} in ${w.slot}: that field is not a buffer`);
    const ints = w.ints.map((x) => ('eq' in x ? `{ .eq = ${cInteger(x.eq, RES)} }` : `{ .is_fd = 1, .fl = ${cInteger(x.fl, RES)}, .cloexec = ${x.cloexec ? 1 : 0} }`));
    out.push(`static const struct t_fd_int ${name}_fds${i + 1}_ints[] = { ${ints.join(', ')} };`);
    return `\t/* ${cComment(opOf(w.user_data))} */\n\t{ .user_data = ${w.user_data}, .buf = buf${w.user_data}_${w.slot}, .size = ${v.buf}, .ints = ${name}_fds${i + 1}_ints, .nr_ints = ${w.ints.length}, .one_pipe = ${w.one_pipe ? 1 : 0} },`;
  });
  const [fds, nrFds] = table('fds', 'struct t_fds_expect', fdRows, '\n');
  // the file fixtures after the chain, read through their paths
  const identOf = (fixture: string, what: string) => {
    const fx = form.fixtures.find((f) => f.name === fixture);
    if (!fx) throw new Error(`${name}: ${what}: ${fixture} is not a fixture of the case`);
    return fx.ident;
  };
  const fileRows = (e.files ?? []).map((w, i) => {
    const runs = w.bytes?.length ? `${name}_file${i + 1}_runs` : 'NULL';
    if (w.bytes?.length) out.push(`static const struct t_byte_run ${runs}[] = { ${w.bytes.map(runsRow).join(', ')} };`);
    return `	{ .name = ${cString(w.fixture)}, .path = fixtures[${identOf(w.fixture, 'files')}].path, .size = ${w.size}, .check_bytes = ${w.bytes ? 1 : 0}, .runs = ${runs}, .nr_runs = ${w.bytes?.length ?? 0} },`;
  });
  const [files, nrFiles] = table('files', 'struct t_file_expect', fileRows, '\n');
  // what each end of a stream fixture can read after the chain
  const streamRows = (e.streams ?? []).map((w) =>
    `\t{ .name = ${cString(w.fixture)}, .end = ${cString(w.end)}, .fd = &fixtures[${identOf(w.fixture, 'streams')}].${w.end === 'w' ? 'wfd' : 'fd'}, .avail = ${w.avail} },`);
  const [streams, nrStreams] = table('streams', 'struct t_stream_expect', streamRows, '\n');
  // a case that spawns checks its submitter even when no task is expected
  const spawn = e.spawn ?? (e.submitter ? { tasks: [] } : undefined);
  if (spawn) out.push(renderSpawnExpect(name, spawn, form, e.submitter));
  out.push(
    `static const struct t_expect ${name} = {`,
    `\t.submitted = ${sub}, .nr_submitted = ${nrSub}, .cqes = ${cqes}, .nr_cqes = ${nrCqes},`,
    ...(e.order.length ? [`\t.order = ${order}, .nr_order = ${nrOrder}, .check_order = t_check_order,`] : []),
    ...(spawn ? [`\t.spawn = &${name}_spawn, .check_spawn = t_check_spawn,`] : []),
    ...(fdRows.length ? [`\t.fds = ${fds}, .nr_fds = ${nrFds}, .check_fds = t_check_fds,`] : []),
    ...(fileRows.length ? [`\t.files = ${files}, .nr_files = ${nrFiles}, .check_files = t_check_files,`] : []),
    ...(streamRows.length ? [`\t.streams = ${streams}, .nr_streams = ${nrStreams}, .check_streams = t_check_streams,`] : []),
    '};',
    '',
  );
  return out.join('\n');
}
