import type { Grace } from '../../c-templates/encodeExecForm.js';
import type { ExecForm } from '../../c-templates/execForm.js';

/**
 * How long the executor waits once what a program awaits came. A program that expects a CQE not to
 * come (pending, absent) waits `base` ms after its last awaited CQE for what must not be; one whose
 * every expected CQE is awaited still catches an extra one that came before the last (and, when it
 * spawns, one that came while its tasks ran: the executor looks at the CQ again after them), and
 * waits no more. Spawned tasks always get `base` ms after the last one ended, up to the report
 * pipe's EOF, for their reports.
 */
export function graceFor(form: ExecForm, base: number): Grace {
  const quiet = (e: ExecForm['want'] | undefined) => !e || e.cqes.every((q) => !('pending' in q.res) && !('absent' in q.res));
  return { cqeMs: quiet(form.want) && quiet(form.divergence?.expect) ? 0 : base, taskMs: base };
}
