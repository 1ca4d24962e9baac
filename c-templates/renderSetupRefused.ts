import type { ExecForm } from './execForm.js';
import type { RenderOptions } from './renderCase.js';
import { cComment } from './cComment.js';
import { cString } from './cString.js';
import { renderConstants } from './renderConstants.js';
import { sliceRuntime } from './sliceRuntime.js';

const BASE_INCLUDES = ['<errno.h>', '<stdio.h>', '<string.h>'];

/**
 * The program of a case whose ring io_uring_setup() must refuse: it asks for the ring, checks the error,
 * and prints its result line; no SQE is ever made. Turns data into C; decides nothing.
 */
export function renderSetupRefused(form: ExecForm, o: RenderOptions, setup: { res: number; because: string[] }): string {
  const runtime = sliceRuntime(['t_ring_setup_refused', 't_result_print']);
  const includes = [...new Set([...BASE_INCLUDES, ...runtime.includes])].sort();
  const errno = Object.entries(o.ring.errno).find(([, v]) => v === -setup.res)?.[0];
  const want = errno ? `-${errno}` : String(setup.res);
  const flagNames = cString(form.ring.flags.length ? form.ring.flags.join(' | ') : '0');
  return [
    '/* SPDX-License-Identifier: MIT */',
    `/* Description: ${cComment(form.description)}${form.rules.length ? ` (rules: ${form.rules.join(', ')})` : ''} */`,
    `/* uringspec case ${cComment(form.id)}, profile ${cComment(form.profile.name)}: exits 0, 1 or 77 and prints a "uringspec-result: {json}" line */`,
    '#ifndef _GNU_SOURCE',
    '#define _GNU_SOURCE',
    '#endif',
    ...includes.map((h) => `#include ${h}`),
    '#include "liburing.h"',
    '',
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
    `\tret = t_ring_setup_refused(RING_ENTRIES, RING_FLAGS, ${flagNames}, ${want});`,
    '\tt_result_print(ret);',
    '\treturn ret;',
    '}',
    '',
  ].join('\n');
}
