import type { Case, Expectation, ProfileSpec, RingSpec } from '../spec/types.js';
import { cComment } from './cComment.js';
import { renderChain } from './renderChain.js';
import { renderConstants } from './renderConstants.js';
import { renderExpect } from './renderExpect.js';
import { renderFixtures } from './renderFixtures.js';
import { renderMain } from './renderMain.js';
import { reapedTasks } from './renderSpawnExpect.js';
import { sliceRuntime } from './sliceRuntime.js';

export interface RenderOptions {
  /** case id, e.g. "link/short-read-breaks-link" */
  name: string;
  /** spec.ring: flag values, errno names for pretty printing */
  ring: RingSpec;
  /** opcode numbers come only from profile.opcodes[op] */
  profile: ProfileSpec;
  /** rule ids, printed in the Description comment */
  rules: string[];
  /**
   * a known divergence of this profile: a match still fails, and is named in the result line.
   * Without `expect` (an outcome nobody can predict) any miss of the intended expectation matches.
   */
  divergence?: { id: string; reason: string; source: string; expect?: Expectation };
  /** how long to wait for the CQEs that must come, and then for the spawned tasks to end; default 2000 */
  reapTimeoutMs?: number;
  /**
   * the ops (short names) whose opcodes the kernel's probe must list, else the case skips;
   * default every op the case uses. Leave out an op that the case expects the kernel to refuse.
   */
  probeOps?: string[];
}

/** Runtime sections every case calls; fixtures add their own. */
const CORE = ['t_ignore_sigpipe', 't_tmpdir', 't_ring_setup', 't_require_opcodes', 't_submit', 't_reap', 't_verdict', 't_result_print', 't_reap_children'];
/** Runtime sections of a case whose expectation has spawned tasks. */
const SPAWN = ['t_spawn', 't_spawn_collect', 't_check_spawn'];
const BASE_INCLUDES = ['<errno.h>', '<stdint.h>', '<stdio.h>', '<string.h>'];

function checkSubmits(what: string, e: Expectation, submits: number): void {
  if (e.submitted.length !== submits) {
    throw new Error(`${what}.submitted has ${e.submitted.length} entries, but the case makes ${submits} submit calls`);
  }
}

/**
 * Renders a case as one standalone C program in the style of a liburing test: the runtime
 * sections it needs inlined, one test_chain function per submission, expectations as tables,
 * and main returning T_EXIT_PASS, T_EXIT_FAIL or T_EXIT_SKIP. Turns data into C; decides nothing.
 */
export function renderCase(c: Case & { expect: Expectation }, o: RenderOptions): string {
  const batches = c.batches ?? [c.sqes.length];
  if (batches.reduce((a, b) => a + b, 0) !== c.sqes.length || batches.some((b) => !Number.isInteger(b) || b < 0)) {
    throw new Error(`batches [${batches.join(', ')}] do not split the case's ${c.sqes.length} SQEs`);
  }
  checkSubmits('expect', c.expect, batches.length);
  if (o.divergence?.expect) checkSubmits(`divergence ${o.divergence.id}`, o.divergence.expect, batches.length);

  const ops = [...new Set(c.sqes.map((s) => s.op))];
  const probeOps = o.probeOps ?? ops;
  for (const op of probeOps) {
    if (!ops.includes(op)) throw new Error(`probeOps names ${op}, which the case does not use`);
  }
  const div = o.divergence;
  const spawns = c.expect.spawn !== undefined || div?.expect?.spawn !== undefined;

  const settle = c.expect.settle ?? [];
  if (settle.length && settle.length !== batches.length - 1) {
    throw new Error(`expect.settle has ${settle.length} entries, but the case has ${batches.length - 1} later submit calls`);
  }
  const fixtures = c.fixtures ?? {};
  const fx = renderFixtures(fixtures);
  const runtime = sliceRuntime([...CORE, ...(c.sqes.length ? ['t_get_sqe'] : []), ...fx.sections, ...(spawns ? SPAWN : []), ...(settle.some((u) => u.length) ? ['t_settle'] : []), ...(c.credentials ? ['t_drop_credentials'] : [])]);
  const fns = batches.map((_, i) => (batches.length === 1 ? 'test_chain' : `test_chain_${i + 1}`));
  let first = 1;
  const chains = batches.map((n, i) => {
    const code = renderChain(fns[i]!, c.sqes.slice(first - 1, first - 1 + n), first, { ring: o.ring, profile: o.profile, fixtures });
    first += n;
    return code;
  });
  const opOf = (ud: number) => c.sqes[ud - 1]?.op ?? '?';
  const includes = [...new Set([...BASE_INCLUDES, ...runtime.includes])].sort();

  return [
    '/* SPDX-License-Identifier: MIT */',
    `/* Description: ${cComment(c.description)}${o.rules.length ? ` (rules: ${o.rules.join(', ')})` : ''} */`,
    '/*',
    ` * uringspec case ${cComment(o.name)}, profile ${cComment(o.profile.name)}.`,
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
    renderConstants(c, { name: o.name, ring: o.ring, profile: o.profile, reapTimeoutMs: o.reapTimeoutMs ?? 2000, submits: batches.length }),
    runtime.code,
    '/* ---- the case ---- */',
    '',
    fx.code,
    ...chains,
    '/* what the spec expects; comments name the rules that decided each CQE */',
    renderExpect('want', c.expect, o.ring, opOf, fixtures),
    ...(div?.expect ? [`/* what this profile does instead: divergence ${cComment(div.id)} */`, renderExpect('divergence', div.expect, o.ring, opOf, fixtures)] : []),
    renderMain({
      ops: probeOps,
      setupFlagNames: c.ring.flags ?? [],
      chains: fns,
      hasFixtures: fx.code !== '',
      ...(div ? { divergence: { id: div.id, reason: div.reason, predicted: div.expect !== undefined } } : {}),
      settle,
      ...(c.credentials ? { credentials: c.credentials } : {}),
      ...(spawns ? { spawn: { reaped: Math.max(reapedTasks(c.expect.spawn), reapedTasks(div?.expect?.spawn)) } } : {}),
    }),
  ].join('\n');
}
