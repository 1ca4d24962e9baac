import { cComment } from './cComment.js';
import { cString } from './cString.js';

export interface MainParts {
  /** the opcodes to probe (their C names and op names): a case skips when the kernel lacks one */
  ops: { name: string; op: string }[];
  /** the op of each user_data, for messages */
  labels: { user_data: number; op: string }[];
  setupFlagNames: string[];
  /** the CQ ring's size the case chose (IORING_SETUP_CQSIZE) */
  cqEntries?: number;
  /** per submission, the functions that fill its chains */
  batches: string[][];
  /** per submission, io_uring_enter()'s to_submit (t_submit_n); absent: io_uring_submit() */
  toSubmit?: number[];
  hasFixtures: boolean;
  /** run in a temp dir of its own: the case has fixtures, names a path or spawns */
  tmpdir: boolean;
  /** a known divergence; predicted: its expectation is rendered as `divergence`, else any miss matches it */
  divergence?: { id: string; reason: string; predicted: boolean };
  /** set when an expectation has spawned tasks: how many of them end (and are waited for) */
  spawn?: { reaped: number };
  /** settle[k]: the user_data whose CQEs to wait for before submitting chain k + 1 */
  settle?: number[][];
  /** the request submitted once the chain and its tasks are done */
  ringAfter?: { op: string; name: string; user_data: number };
  /** run the submissions as this user, under this RLIMIT_NPROC */
  credentials?: { uid: number; gid: number; nproc?: number };
}

/**
 * main(): SIGPIPE ignored, a temp dir (when the case needs one), ring, opcode probe, fixtures, the report pipe (with spawned
 * tasks), one call per submission (each after the CQEs the earlier ones settle), reap CQEs, then
 * tasks and reports, verdict; then the same cleanup on every path, and exactly one result line.
 */
/** Table rows packed a few to a line, as a person would write a short table. */
export function packRows(rows: string[], width = 96): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const last = lines.length ? lines[lines.length - 1]! : undefined;
    if (last !== undefined && last.length + 1 + r.length <= width) lines[lines.length - 1] = `${last} ${r}`;
    else lines.push(`\t${r}`);
  }
  return lines;
}

export function renderMain(m: MainParts): string {
  const out: string[] = [];
  if (m.ops.length) {
    out.push(
      '/* the opcodes the kernel must have for this case to run */',
      'static const struct t_opcode case_opcodes[] = {',
      ...packRows(m.ops.map((o) => `{ ${o.name}, ${cString(o.op)} },`)),
      '};',
    );
  }
  out.push(
    '/* the op of each SQE, by user_data, for messages */',
    'static const struct t_op_label case_ops[] = {',
    ...packRows(m.labels.map((l) => `{ ${l.user_data}, ${cString(l.op)} },`)),
    '};',
  );
  const settle = m.settle ?? [];
  if (settle.some((uds) => uds.length)) {
    out.push('/* before each later submission, the CQEs that the earlier ones complete */');
    settle.forEach((uds, k) => {
      if (uds.length) out.push(`static const __u64 settle_${k + 2}[] = { ${uds.join(', ')} };`);
    });
  }
  out.push('');
  const flagNames = cString(m.setupFlagNames.length ? m.setupFlagNames.join(' | ') : '0');
  const verdict = m.divergence
    ? `t_verdict(&want, ${m.divergence.predicted ? '&divergence' : 'NULL'}, ${cString(m.divergence.id)}, ${cString(m.divergence.reason)})`
    : 't_verdict(&want, NULL, NULL, NULL)';
  // each step that can fail or skip; the first that does ends the run at its label
  const steps: { call: string; out: 'out' | 'out_ring' }[] = [];
  if (m.tmpdir) steps.push({ call: 't_tmpdir_enter()', out: 'out' });
  steps.push({ call: `t_ring_setup(&ring, RING_ENTRIES, RING_FLAGS, ${flagNames})`, out: 'out' });
  steps.push({ call: m.ops.length ? 't_require_opcodes(&ring, case_opcodes, T_LEN(case_opcodes))' : 't_require_opcodes(&ring, NULL, 0)', out: 'out_ring' });
  if (m.hasFixtures) steps.push({ call: 'make_fixtures()', out: 'out_ring' });
  const comments: Record<string, string> = {};
  if (m.credentials) {
    const { uid, gid, nproc } = m.credentials;
    const call = `t_drop_credentials(${uid}, ${gid}, ${nproc ?? 0})`;
    comments[call] = `\t/* submit as uid ${uid}, gid ${gid}${nproc ? `, RLIMIT_NPROC ${nproc}` : ''} */`;
    steps.push({ call, out: 'out_ring' });
  }
  if (m.spawn) {
    comments['t_spawn_begin()'] = '\t/* spawned tasks inherit the report pipe on T_REPORT_FD from here on */';
    steps.push({ call: 't_spawn_begin()', out: 'out_ring' });
  }
  out.push(
    'int main(void)',
    '{',
    '\tstruct io_uring ring;',
    '\tint ret;',
    '',
    '\tt_run.name = CASE_NAME;',
    '\tt_run.ops = case_ops;',
    '\tt_run.nr_ops = T_LEN(case_ops);',
    '\tt_run.grace_ms = 50;',
    '\tt_ignore_sigpipe();',
    ...(m.cqEntries !== undefined ? [`\tt_ring_cq_entries = ${m.cqEntries}; /* IORING_SETUP_CQSIZE */`] : []),
  );
  // steps with the same label share one check: ret = a(); if (!ret) ret = b(); if (ret) goto out;
  for (let i = 0; i < steps.length; ) {
    let j = i;
    while (j < steps.length && steps[j]!.out === steps[i]!.out) j++;
    steps.slice(i, j).forEach((st, k) => {
      if (comments[st.call]) out.push(comments[st.call]!);
      out.push(...(k === 0 ? [`\tret = ${st.call};`] : ['\tif (!ret)', `\t\tret = ${st.call};`]));
    });
    out.push('\tif (ret)', `\t\tgoto ${steps[i]!.out};`);
    i = j;
  }
  m.batches.forEach((fns, i) => {
    const uds = settle[i - 1] ?? [];
    if (uds.length) out.push(`\tt_settle(&ring, settle_${i + 1}, ${uds.length}, REAP_TIMEOUT_MS);`);
    out.push(...fns.map((fn) => `\t${fn}(&ring);`), m.toSubmit ? `\tt_submit_n(&ring, ${m.toSubmit[i]});` : '\tt_submit(&ring);');
  });
  out.push(
    '\tt_reap(&ring, &want, REAP_TIMEOUT_MS);',
    ...(m.spawn ? [`\tt_spawn_collect(${m.spawn.reaped}, REAP_TIMEOUT_MS);`] : []),
    ...(m.ringAfter ? [`\t/* the ring still works: a ${cComment(m.ringAfter.op)} */`, `\tt_ring_after(&ring, ${m.ringAfter.name}, ${m.ringAfter.user_data}, REAP_TIMEOUT_MS);`] : []),
    `\tret = ${verdict};`,
    'out_ring:',
    '\tio_uring_queue_exit(&ring);',
    'out:',
    ...(m.hasFixtures ? ['\tt_fixtures_close(fixtures, NR_FIXTURES);'] : []),
    ...(m.spawn ? ['\tt_reap_children();'] : []),
    ...(m.tmpdir ? ['\tt_tmpdir_remove();'] : []),
    '\treturn t_result_print(ret);',
    '}',
    '',
  );
  return out.join('\n');
}
