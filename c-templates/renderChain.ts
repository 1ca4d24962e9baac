import type { ExecFixture, ExecSqe } from './execForm.js';
import { chainLabel } from './chainLabel.js';
import { cComment } from './cComment.js';
import { renderSqe } from './renderSqe.js';

/**
 * One `static int <fn>(struct io_uring *ring)` per submission: fill its SQEs, then io_uring_submit.
 * Returns 0, or 1 when an SQE could not be had.
 */
export function renderChain(fn: string, sqes: ExecSqe[], fixtures: ExecFixture[]): string {
  const rendered = sqes.map((s) => renderSqe(s, fixtures));
  const decls = rendered.flatMap((r) => r.decls);
  const out = [];
  if (decls.length) out.push(...decls, '');
  out.push(`/* ${cComment(chainLabel(sqes))} */`, `static int ${fn}(struct io_uring *ring)`, '{');
  if (sqes.length) out.push('\tstruct io_uring_sqe *sqe;', '');
  out.push(rendered.map((r) => r.body).join('\n') + (sqes.length ? '\n' : '') + '\tt_submit(ring);', '\treturn 0;', '}', '');
  return out.join('\n');
}
