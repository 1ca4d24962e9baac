import type { ExecForm } from './execForm.js';
import type { RenderOptions } from './renderCase.js';
import { cComment } from './cComment.js';
import { cString } from './cString.js';
import { renderConstants } from './renderConstants.js';
import { sliceRuntime } from './sliceRuntime.js';
import { programHead } from './programHead.js';
import { resText } from './renderExpect.js';

/**
 * The program of a case whose ring io_uring_setup() must refuse: it asks for the ring, checks the error,
 * and prints its result line; no SQE is ever made. Turns data into C; decides nothing.
 */
export function renderSetupRefused(form: ExecForm, o: RenderOptions, setup: { res: number; because: string[] }): string {
  const runtime = sliceRuntime(['t_ring_setup_refused', 't_result_print']);
  const flagNames = cString(form.ring.flags.length ? form.ring.flags.join(' | ') : '0');
  return [
    ...programHead(form, runtime.includes),
    renderConstants({ ...form, sqes: [] }, o.ring, [], o.ops),
    runtime.code,
    '/* ---- the case ---- */',
    '',
    'int main(void)',
    '{',
    '\tint ret;',
    '',
    '\tt_run.name = CASE_NAME;',
    `\t/* ${cComment(setup.because.join(', '))} */`,
    `\tret = t_ring_setup_refused(RING_ENTRIES, RING_FLAGS, ${flagNames}, ${resText(setup.res, o.ring)});`,
    '\tt_result_print(ret);',
    '\treturn ret;',
    '}',
    '',
  ].join('\n');
}
