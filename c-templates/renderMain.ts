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
export function renderMain(m: MainParts): string {
  const out: string[] = [];
  if (m.ops.length) {
    out.push(
      '/* the opcodes the kernel must have for this case to run */',
      'static const struct t_opcode case_opcodes[] = {',
      ...m.ops.map((o) => `\t{ ${o.name}, ${cString(o.op)} },`),
      '};',
      '',
    );
  }
  out.push(
    '/* the op of each SQE, by user_data, for messages */',
    'static const struct t_op_label case_ops[] = {',
    ...m.labels.map((l) => `\t{ ${l.user_data}, ${cString(l.op)} },`),
    '};',
    '',
  );
  const settle = m.settle ?? [];
  if (settle.some((uds) => uds.length)) {
    out.push('/* before each later submission, the CQEs that the earlier ones complete */');
    settle.forEach((uds, k) => {
      if (uds.length) out.push(`static const __u64 settle_${k + 2}[] = { ${uds.join(', ')} };`);
    });
    out.push('');
  }
  const flagNames = cString(m.setupFlagNames.length ? m.setupFlagNames.join(' | ') : '0');
  const verdict = m.divergence
    ? `t_verdict(&want, ${m.divergence.predicted ? '&divergence' : 'NULL'}, ${cString(m.divergence.id)}, ${cString(m.divergence.reason)})`
    : 't_verdict(&want, NULL, NULL, NULL)';
  out.push(
    'int main(void)',
    '{',
    '\tstruct io_uring ring;',
    '\tint ret;',
    '',
    '\tt_run.name = CASE_NAME;',
    '\tt_run.ops = case_ops;',
    '\tt_run.nr_ops = sizeof(case_ops) / sizeof(case_ops[0]);',
    '\tt_run.grace_ms = 50;',
    '\tt_ignore_sigpipe();',
    ...(m.tmpdir ? ['\tret = t_tmpdir_enter();', '\tif (ret)', '\t\tgoto out;'] : []),
    ...(m.cqEntries !== undefined ? [`\tt_ring_cq_entries = ${m.cqEntries}; /* IORING_SETUP_CQSIZE */`] : []),
    `\tret = t_ring_setup(&ring, RING_ENTRIES, RING_FLAGS, ${flagNames});`,
    '\tif (ret)',
    '\t\tgoto out;',
    m.ops.length
      ? '\tret = t_require_opcodes(&ring, case_opcodes, sizeof(case_opcodes) / sizeof(case_opcodes[0]));'
      : '\tret = t_require_opcodes(&ring, NULL, 0);',
    '\tif (ret)',
    '\t\tgoto out_ring;',
  );
  if (m.hasFixtures) out.push('\tret = make_fixtures();', '\tif (ret)', '\t\tgoto out_ring;');
  if (m.credentials) {
    const { uid, gid, nproc } = m.credentials;
    out.push(
      `\t/* submit as uid ${uid}, gid ${gid}${nproc ? `, RLIMIT_NPROC ${nproc}` : ''} */`,
      `\tret = t_drop_credentials(${uid}, ${gid}, ${nproc ?? 0});`,
      '\tif (ret)',
      '\t\tgoto out_ring;',
    );
  }
  if (m.spawn) {
    out.push(
      '\t/* spawned tasks inherit the report pipe on T_REPORT_FD from here on */',
      '\tret = t_spawn_begin();',
      '\tif (ret)',
      '\t\tgoto out_ring;',
    );
  }
  m.batches.forEach((fns, i) => {
    const uds = settle[i - 1] ?? [];
    if (uds.length) out.push(`\tt_settle(&ring, settle_${i + 1}, ${uds.length}, REAP_TIMEOUT_MS);`);
    if (fns.length) out.push(`\tif (${fns.map((fn) => `${fn}(&ring)`).join(' || ')}) {`, '\t\tret = T_EXIT_FAIL;', '\t\tgoto out_ring;', '\t}');
    out.push(m.toSubmit ? `\tt_submit_n(&ring, ${m.toSubmit[i]});` : '\tt_submit(&ring);');
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
    '\tt_reap_children();',
    ...(m.tmpdir ? ['\tt_tmpdir_remove();'] : []),
    '\tt_result_print(ret);',
    '\treturn ret;',
    '}',
    '',
  );
  return out.join('\n');
}
