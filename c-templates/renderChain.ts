import type { CaseSqe, Fixture, ProfileSpec, RingSpec } from '../spec/types.js';
import { chainLabel } from './chainLabel.js';
import { cComment } from './cComment.js';
import { renderSqe } from './renderSqe.js';

/**
 * One `static int <fn>(struct io_uring *ring)` per submission: fill its SQEs, then io_uring_submit.
 * Returns 0, or 1 when an SQE could not be had. `first` is the user_data of its first SQE.
 */
export function renderChain(
  fn: string,
  sqes: CaseSqe[],
  first: number,
  o: { ring: RingSpec; profile: ProfileSpec; fixtures: Record<string, Fixture> },
): string {
  const rendered = sqes.map((s, i) => renderSqe(s, first + i, o));
  const decls = rendered.flatMap((r) => r.decls);
  const out = [];
  if (decls.length) out.push(...decls, '');
  out.push(`/* ${cComment(chainLabel(sqes))} */`, `static int ${fn}(struct io_uring *ring)`, '{');
  if (sqes.length) out.push('\tstruct io_uring_sqe *sqe;', '');
  out.push(rendered.map((r) => r.body).join('\n') + (sqes.length ? '\n' : '') + '\tt_submit(ring);', '\treturn 0;', '}', '');
  return out.join('\n');
}
