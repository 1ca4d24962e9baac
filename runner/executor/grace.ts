import type { ExecForm } from '../../c-templates/execForm.js';

/**
 * How long the executor keeps reaping after the last awaited CQE. A program that expects a CQE not
 * to come (pending, absent) or tasks to end waits `base` ms for what must not be; one whose every
 * expected CQE is awaited still catches an extra one that came before the last, and waits no more.
 */
export function graceFor(form: ExecForm, base: number): number {
  const quiet = (e: ExecForm['want'] | undefined) => !e || (!e.spawn && e.cqes.every((q) => !('pending' in q.res) && !('absent' in q.res)));
  return quiet(form.want) && quiet(form.divergence?.expect) ? 0 : base;
}
