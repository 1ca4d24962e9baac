import type { ExecFixture, ExecSqe } from './execForm.js';
import { chainLabel } from './chainLabel.js';
import { cComment } from './cComment.js';
import { renderSqe, type SqeSpec } from './renderSqe.js';

/**
 * One `static int <fn>(struct io_uring *ring)` per chain (SQEs linked to each other), after a comment
 * naming it: fill its SQEs (main submits). Returns 0, or 1 when an SQE could not be had. `names`:
 * the spec/ring.yaml constants it uses.
 */
export function renderChain(fn: string, sqes: ExecSqe[], fixtures: ExecFixture[], spec?: (op: string) => SqeSpec): { code: string; names: string[] } {
  const rendered = sqes.map((s) => renderSqe(s, fixtures, spec?.(s.op)));
  const decls = rendered.flatMap((r) => r.decls);
  const out = [];
  if (decls.length) out.push(...decls, '');
  out.push(`/* ${cComment(chainLabel(sqes))} */`, `static int ${fn}(struct io_uring *ring)`, '{');
  out.push('\tstruct io_uring_sqe *sqe;', '', rendered.map((r) => r.body).join('') + '\treturn 0;', '}', '');
  return { code: out.join('\n'), names: rendered.flatMap((r) => r.names) };
}
