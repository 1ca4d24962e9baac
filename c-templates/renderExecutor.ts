import { SQE_SLOTS, type Spec } from '../spec/types.js';
import { cString } from './cString.js';
import { sliceRuntime } from './sliceRuntime.js';
import { SQE_SLOT_TYPES } from './sqeSlotTypes.js';

/** How many CQEs and submissions the executor's run log keeps (a reproducer sizes its own). */
const EXECUTOR_LIMITS = ['#define T_MAX_CQES 4096', '#define T_MAX_SUBMITS 1024'];

/** t_set_slot(): struct io_uring_sqe members by their index in SQE_SLOTS, the order the encoding uses. */
function setSlot(): string {
  const cases = SQE_SLOTS.map((slot, i) => `\tcase ${i}:\n\t\tsqe->${slot} = (${SQE_SLOT_TYPES[slot].type})value;\n\t\tbreak;`);
  return ['static void t_set_slot(struct io_uring_sqe *sqe, int slot, __u64 value)', '{', '\tswitch (slot) {', ...cases, '\t}', '}', ''].join('\n');
}

/** t_fixture_make(): each fixture kind of spec/fixtures.yaml by its index, called with its runtime arguments. */
function fixtureMake(spec: Spec): string {
  const cases = Object.entries(spec.fixtures.kinds).map(([kind, k], i) => {
    const args = ['f', 'name', ...k.runtime.args.map((_, j) => `args[${j}]`)];
    return `\tcase ${i}: /* ${kind} */\n\t\treturn ${k.runtime.fn}(${args.join(', ')});`;
  });
  return [
    'static int t_fixture_make(struct t_fixture *f, const char *name, int kind, const long long *args)',
    '{',
    '\t(void)args;',
    '\tswitch (kind) {',
    ...cases,
    '\t}',
    '\tt_mismatch("setup: %s: fixture kind %d is not in this executor", name, kind);',
    '\treturn T_EXIT_FAIL;',
    '}',
    '',
  ].join('\n');
}

/**
 * The executor: every runtime section (the same helpers a reproducer slices), the two tables the
 * spec generates (slots, fixture kinds), and main. It depends on no profile: opcode numbers come
 * with each program.
 */
export function renderExecutor(spec: Spec): string {
  const fns = Object.values(spec.fixtures.kinds).map((k) => k.runtime.fn);
  const runtime = sliceRuntime(['t_executor', 't_fixture_closed_fd', ...fns], { every: true });
  return [
    '/* SPDX-License-Identifier: MIT */',
    '/* Description: the uringspec executor: runs exec-form programs from its input, answers on its output */',
    '/* Rendered by c-templates/renderExecutor.ts from c-templates/runtime/ and spec/fixtures.yaml. */',
    '#ifndef _GNU_SOURCE',
    '#define _GNU_SOURCE',
    '#endif',
    ...[...new Set(['<errno.h>', '<stdint.h>', '<stdio.h>', '<string.h>', ...runtime.includes])].sort().map((h) => `#include ${h}`),
    '#include "liburing.h"',
    '',
    ...EXECUTOR_LIMITS,
    '',
    runtime.code,
    '/* ---- generated from the spec ---- */',
    '',
    setSlot(),
    fixtureMake(spec),
    'int main(int argc, char **argv)',
    '{',
    '\treturn t_executor_main(argc, argv);',
    '}',
    '',
  ].join('\n');
}
