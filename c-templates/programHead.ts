import type { ExecForm } from './execForm.js';
import { cComment } from './cComment.js';

/** The headers every case program includes, whatever runtime it slices in. */
export const BASE_INCLUDES = ['<errno.h>', '<stdint.h>', '<stdio.h>', '<string.h>'];

/**
 * The top of a case program, as liburing's tests start: licence, description with its rules, what the program
 * prints, `notes` (comment lines), _GNU_SOURCE, the base and runtime headers, liburing.h.
 */
export function programHead(form: ExecForm, runtimeIncludes: string[], notes: string[] = []): string[] {
  const includes = [...new Set([...BASE_INCLUDES, ...runtimeIncludes])].sort();
  return [
    '/* SPDX-License-Identifier: MIT */',
    `/* Description: ${cComment(form.description)}${form.rules.length ? ` (rules: ${form.rules.join(', ')})` : ''} */`,
    `/* uringspec case ${cComment(form.id)}, profile ${cComment(form.profile.name)}: exits 0, 1 or 77 and prints a "uringspec-result: {json}" line */`,
    ...notes,
    '#ifndef _GNU_SOURCE',
    '#define _GNU_SOURCE',
    '#endif',
    ...includes.map((h) => `#include ${h}`),
    '#include "liburing.h"',
    '',
  ];
}
