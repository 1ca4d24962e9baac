import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Case, ProfileSpec, Spec } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { readCase } from '../../spec/case/parseCase.js';
import { linkedChain } from '../linkedChain.js';
import { predict, predictWith } from './predict.js';

/*
 * The process state the oracle predicts around a spawn: the exec'd program's task state, how each task
 * is reaped, and the submitter after the chain. Every number comes from spec/ring.yaml and the spawn
 * rules; a rule changed in a copy of the spec changes the prediction (the rules are what decides).
 */

const spec = loadSpec();
const rfc = spec.profiles['rfc-v1-6.12']!;
const c = (name: string): Case => readCase(new URL(`../../cases/spawn/${name}.yaml`, import.meta.url).pathname, spec);
const k = spec.ring.constants;

/** A copy of the spec with one spawn rule's value replaced. */
function withRule(id: string, value: string | number | boolean): Spec {
  return { ...spec, spawn: spec.spawn.map((r) => (r.id === id ? { ...r, value } : r)) };
}

describe('process state around a spawn', () => {
  it("predicts a regular program, an ordinary child, and the submitter's state", () => {
    const e = predict(spec, rfc, c('clone-exec-helper'));
    const t = e.spawn!.tasks[0]!;
    expect(t.reap).toEqual({ how: 'plain', sigchld: true });
    expect(t.report).toMatchObject({
      ring_fd_closed: true, flags_clear: k.PF_KTHREAD! | k.PF_IO_WORKER! | k.PF_USER_WORKER! | k.PF_FORKNOEXEC!, flags_set: 0,
      exit_signal: k.SIGCHLD, parent_is_submitter: true, umask_of_submitter: true, sigign_of_submitter: true, sigblk: { of_submitter: true },
    });
    expect(e.submitter).toEqual({ fds_closed: [], fds_opened: [0, 0], fs_kept: true, buffers: [], no_stray_children: true, ring_after: { op: 'NOP', user_data: 3, res: 0 } });
  });

  it('takes the numbers from the rules, not from itself', () => {
    const s = withRule('spawn.exec.ordinary-child', 'SIGKILL');
    const t = predict(s, rfc, c('clone-exec-helper')).spawn!.tasks[0]!;
    expect(t.report!.exit_signal).toBe(k.SIGKILL);
    expect(t.reap).toEqual({ how: 'wall', sigchld: false });
    const killed = predict(withRule('spawn.task.reaped-with-wall', 'SIGCHLD'.length), rfc, c('no-exec-killed')).spawn!.tasks[0]!;
    expect(killed.reap).toEqual({ how: 'wall', sigchld: false }); // 7 is not SIGCHLD either
    expect(predict(spec, rfc, c('no-exec-killed')).spawn!.tasks[0]!.reap).toEqual({ how: 'wall', sigchld: false });
    expect(() => predict(withRule('spawn.exec.regular-task', 'PF_NOTHING'), rfc, c('clone-exec-helper'))).toThrow(/no constant named "PF_NOTHING"/);
  });

  it('names the RFC v1 divergence only where a worker issues the CLONE, and predicts what leaks', () => {
    // link-open-at-submit-end: a link left open at the end of its submission is issued from io-wq (chain.link.last-in-batch)
    // clone-in-drain-mode, link-timeout-drain-then-clone: drain mode (chain.drain.active-forces-async) makes it REQ_F_FORCE_ASYNC
    for (const name of ['async-clone', 'setup-sqpoll', 'link-open-at-submit-end', 'clone-in-drain-mode', 'link-timeout-drain-then-clone']) {
      const p = predictWith(spec, rfc, c(name), true);
      expect(p.divergences).toContain('rfc-v1.worker-issuer-leaks-into-task');
      const r = p.expect.spawn!.tasks[0]!.report!;
      expect(r.flags_set).toBe(k.PF_IO_WORKER);
      expect(r.flags_clear! & k.PF_IO_WORKER!).toBe(0);
      expect(r.sigblk).toEqual({ all_but: [k.SIGKILL, k.SIGSTOP] });
      expect(predict(spec, rfc, c(name)).spawn!.tasks[0]!.report!.sigblk).toEqual({ of_submitter: true });
    }
    expect(predictWith(spec, rfc, c('clone-exec-helper'), true).divergences).not.toContain('rfc-v1.worker-issuer-leaks-into-task');
    // without the drain, or with the drain ended by a link of its own submission that went through io_drain_req(), the submitter issues it
    const drain = c('clone-in-drain-mode');
    const noDrain: Case = { ...drain, sqes: drain.sqes.map((q, i) => (i === 0 ? { ...q, flags: [] } : q)) };
    expect(predictWith(spec, rfc, noDrain, true).divergences).not.toContain('rfc-v1.worker-issuer-leaks-into-task');
    const ended: Case = { ...drain, sqes: [drain.sqes[0]!, { op: 'NOP' }, ...drain.sqes.slice(1)], batches: [1, 1, 2] };
    expect(predictWith(spec, rfc, ended, true).divergences).not.toContain('rfc-v1.worker-issuer-leaks-into-task');
  });

  it("follows the bytes a READ puts in the submitter's memory, and the pipe's bytes a killed task wrote", () => {
    expect(predict(spec, rfc, c('read-into-submitter-memory')).submitter!.buffers).toEqual([
      { user_data: 2, slot: 'addr', bytes: [{ pattern: 0, len: 4 }] },
      { user_data: 4, slot: 'addr', bytes: [{ pattern: 4, len: 6 }] },
    ]);
    const e = predict(spec, rfc, c('killed-task-write-visible'));
    expect(e.submitter!.buffers).toEqual([{ user_data: 3, slot: 'addr', bytes: [{ pattern: 0, len: 2 }, { zero: true, len: 5 }] }]);
    expect(e.spawn!.tasks).toEqual([{ head: 1, outcome: 'killed', reap: { how: 'wall', sigchld: false } }]);
  });

  it("counts the submitter's own opens and closes, never the task's", () => {
    // open-in-task: the task's OPENAT is the task's; the submitter's own OPENAT of batch 2 adds one fd
    expect(predict(spec, rfc, c('open-in-task')).submitter!.fds_opened).toEqual([1, 1]);
    // fd-table-copy: the task's CLOSEs leave the submitter's table as it was
    expect(predict(spec, rfc, c('fd-table-copy')).submitter!.fds_closed).toEqual([]);
  });

  it('leaves the next request out when SQEs stay in the SQ ring', () => {
    // the NOP left unconsumed would go in with it
    expect(predict(spec, rfc, c('clone-requires-link')).submitter!.ring_after).toBeUndefined();
    expect(predict(spec, rfc, c('clone-nothing-linked')).submitter!.ring_after).toEqual({ op: 'NOP', user_data: 3, res: 0 });
  });

  const spawnCases = linkedChain(spec, rfc as ProfileSpec, { spawn: true });
  test.prop([spawnCases], { numRuns: 200 })('every generated chain that spawns or has fixtures checks its submitter, and every ended task how it is reaped', (g) => {
    const e = predict(spec, rfc, g);
    const spawns = g.sqes.some((q) => spec.ops[q.op]?.spawns === true);
    // a case with fixtures leaves its state after unchecked only when a request without a CQE may still be on its way
    if (spawns) expect(e.submitter).toBeDefined();
    else if (!Object.keys(g.fixtures ?? {}).length) expect(e.submitter).toBeUndefined();
    else if (!e.submitter) expect(e.cqes.some((q) => 'absent' in q.res)).toBe(true);
    // the request after the chain (spawn.ring.usable-after) only after a spawn
    if (!g.sqes.some((q) => spec.ops[q.op]?.spawns === true)) expect(e.submitter?.ring_after).toBeUndefined();
    for (const t of e.spawn?.tasks ?? []) if (t.outcome !== 'none') expect(t.reap).toBeDefined();
  });
});

describe('the helper fds a CLOSE in the task leaves for the report to check', () => {
  it('does not claim closed a file fd whose path the task opened again (it may reuse the number), and claims the others', () => {
    const r = predict(spec, rfc, c('closed-fd-reopened-same-path')).spawn!.tasks[0]!.report!;
    expect(r.fds_closed).toEqual(['p0.w']);
    expect(r.fds_closed).not.toContain('f0');
    // the OPENAT of another path: f0 is claimed closed again
    const other = c('closed-fd-reopened-same-path');
    const sqes = other.sqes.map((q) => (q.op === 'OPENAT' ? { ...q, fields: { ...q.fields, addr: { path: 'h' }, rw_flags: 0 } } : q));
    expect(predict(spec, rfc, { ...other, sqes }).spawn!.tasks[0]!.report!.fds_closed).toEqual(['p0.w', 'f0']);
  });
});
