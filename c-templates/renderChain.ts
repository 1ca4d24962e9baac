import type { ExecFixture, ExecSqe } from './execForm.js';
import { chainLabel } from './chainLabel.js';
import { cComment } from './cComment.js';
import { renderSqe, type SqeSpec } from './renderSqe.js';

/**
 * One `static void <fn>(struct io_uring *ring)` per chain (SQEs linked to each other), after a comment
 * naming it: fill its SQEs (main submits; an SQE that could not be had is a mismatch t_sqe logged). `names`:
 * the spec/ring.yaml constants it uses.
 */
export function renderChain(fn: string, sqes: ExecSqe[], fixtures: ExecFixture[], spec?: (op: string) => SqeSpec): { code: string; names: string[] } {
  const rendered = sqes.map((s) => renderSqe(s, fixtures, spec?.(s.op)));
  const decls = rendered.flatMap((r) => r.decls);
  const out = [];
  if (decls.length) out.push(...decls, '');
  out.push(`/* ${cComment(chainLabel(sqes))} */`, `static void ${fn}(struct io_uring *ring)`, '{');
  // the first SQE's line declares sqe
  const body = rendered.map((r) => r.body).join('').replace(/^\tsqe = /, '\tstruct io_uring_sqe *sqe = ').replace('\n', '\n\n');
  out.push(body + '}', '');
  return { code: out.join('\n'), names: rendered.flatMap((r) => r.names) };
}
