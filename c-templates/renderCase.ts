import type { ProfileSpec, RingSpec } from '../spec/types.js';
import type { ExecForm } from './execForm.js';
import { cComment } from './cComment.js';
import { renderChain } from './renderChain.js';
import { renderConstants } from './renderConstants.js';
import { renderExpect } from './renderExpect.js';
import { renderFixtures } from './renderFixtures.js';
import { renderMain } from './renderMain.js';
import { sliceRuntime } from './sliceRuntime.js';

export interface RenderOptions {
  /** spec.ring: flag values, errno names for pretty printing */
  ring: RingSpec;
  profile: ProfileSpec;
}

/** Runtime sections every case calls; fixtures add their own. */
const CORE = ['t_ignore_sigpipe', 't_ring_setup', 't_require_opcodes', 't_submit', 't_reap', 't_verdict', 't_result_print', 't_reap_children'];
/** Runtime sections of a case whose expectation has spawned tasks. */
const SPAWN = ['t_spawn', 't_spawn_collect', 't_check_spawn'];
const BASE_INCLUDES = ['<errno.h>', '<stdint.h>', '<stdio.h>', '<string.h>'];

/**
 * Renders an exec form as one standalone C program in the style of a liburing test: the runtime
 * sections it needs inlined, one test_chain function per submission, expectations as tables,
 * and main returning T_EXIT_PASS, T_EXIT_FAIL or T_EXIT_SKIP. Turns data into C; decides nothing.
 */
export function renderCase(form: ExecForm, o: RenderOptions): string {
  const div = form.divergence;
  const spawns = form.want.spawn !== undefined || div?.expect?.spawn !== undefined || form.want.submitter !== undefined;
  const settle = form.settle;
  const fx = renderFixtures(form.fixtures);
  // a temp dir only where something can land in the cwd: fixtures, a path the case names, spawned tasks
  const tmpdir = form.fixtures.length > 0 || spawns || form.sqes.some((s) => s.slots.some(([, v]) => 'str' in v || 'path' in v));
  const runtime = sliceRuntime([
    ...CORE, ...(tmpdir ? ['t_tmpdir'] : []), ...(form.sqes.length ? ['t_get_sqe'] : []), ...fx.sections, ...(spawns ? SPAWN : []), ...(form.ringAfter ? ['t_ring_after'] : []),
    ...(settle.some((u) => u.length) ? ['t_settle'] : []), ...(form.credentials ? ['t_drop_credentials'] : []),
  ]);
  const fns = form.batches.map((_, i) => (form.batches.length === 1 ? 'test_chain' : `test_chain_${i + 1}`));
  let first = 0;
  const chains = form.batches.map((n, i) => {
    const code = renderChain(fns[i]!, form.sqes.slice(first, first + n), form.fixtures);
    first += n;
    return code;
  });
  const opOf = (ud: number) => form.sqes.find((s) => s.user_data === ud)?.op ?? '?';
  const includes = [...new Set([...BASE_INCLUDES, ...runtime.includes])].sort();
  return [
    '/* SPDX-License-Identifier: MIT */',
    `/* Description: ${cComment(form.description)}${form.rules.length ? ` (rules: ${form.rules.join(', ')})` : ''} */`,
    '/*',
    ` * uringspec case ${cComment(form.id)}, profile ${cComment(form.profile.name)}.`,
    ...(div ? [` * Known divergence ${cComment(`${div.id}: ${div.reason}`)}`, ` * Source: ${cComment(div.source)}`] : []),
    ' * Rendered by c-templates/renderCase.ts with the helpers it needs from c-templates/runtime/.',
    ' * Exits 0 (pass), 1 (fail) or 77 (skip) and prints one "uringspec-result: {json}" line.',
    ' */',
    '#ifndef _GNU_SOURCE',
    '#define _GNU_SOURCE',
    '#endif',
    ...includes.map((h) => `#include ${h}`),
    '#include "liburing.h"',
    '',
    renderConstants(form, o.ring),
    runtime.code,
    '/* ---- the case ---- */',
    '',
    fx.code,
    ...chains,
    '/* what the spec expects; comments name the rules that decided each CQE */',
    renderExpect('want', form.want, o.ring, opOf, form),
    ...(div?.expect ? [`/* what this profile does instead: divergence ${cComment(div.id)} */`, renderExpect('divergence', div.expect, o.ring, opOf, form)] : []),
    renderMain({
      ops: form.probe.map((p) => p.op),
      labels: form.sqes.map((s) => ({ user_data: s.user_data, op: s.op })),
      setupFlagNames: form.ring.flags,
      chains: fns,
      hasFixtures: fx.code !== '',
      tmpdir,
      ...(div ? { divergence: { id: div.id, reason: div.reason, predicted: div.expect !== undefined } } : {}),
      settle,
      ...(form.credentials ? { credentials: form.credentials } : {}),
      ...(spawns ? { spawn: { reaped: form.reaped } } : {}),
      ...(form.ringAfter ? { ringAfter: form.ringAfter } : {}),
    }),
  ].join('\n');
}
