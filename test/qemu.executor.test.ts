import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { prepareCase, type PreparedCase } from '../runner/prepareCase.js';
import { DEFAULT_SERIES } from '../runner/vm/runQemu.js';
import { runOnVmExecutor } from '../runner/vm/runOnVm.js';
import { graceFor } from '../runner/executor/grace.js';
import { cacheDir } from '../runner/context.js';
import type { Expectation } from '../spec/types.js';

const spec = loadSpec();
const series = process.env.URINGSPEC_SERIES ?? DEFAULT_SERIES;
const canBoot = existsSync('/usr/bin/qemu-system-x86_64') && (existsSync(series) || process.env.URINGSPEC_KERNEL !== undefined);

/** The case with the expectation of one CQE taken out: that CQE, when it comes, is an extra one; */
function withoutCqe(pc: PreparedCase, userData: number): PreparedCase {
  // and without the request after the chain, whose wait would take the CQE in too
  const cut = (e: Expectation): Expectation => {
    const { ring_after: _, ...submitter } = e.submitter ?? {};
    return {
      ...e,
      cqes: e.cqes.filter((q) => q.user_data !== userData),
      order: e.order.filter((pair) => !pair.includes(userData)),
      ...(e.submitter ? { submitter: submitter as NonNullable<Expectation['submitter']> } : {}),
    };
  };
  const { ringAfter: _, ...rest } = pc.form;
  const d = pc.form.divergence;
  const form = { ...rest, id: `${pc.form.id}-planted`, want: cut(pc.form.want), ...(d ? { divergence: { ...d, ...(d.expect ? { expect: cut(d.expect) } : {}) } } : {}) };
  return { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: form.want }, form };
}

describe.skipIf(!canBoot)('the VM executor: the fuzz grace, and the kernel log of a program it had to kill', () => {
  it('keeps every spawn case passing with no CQE grace, still sees a CQE the task posts after the awaited ones, and gives a stuck program its BUG', async () => {
    const profile = spec.profiles['rfc-v1-6.12']!;
    const spawnCases = loadCases(spec).filter(({ id, c }) => id.startsWith('spawn/') && !notApplicable(c, profile, 'qemu'));
    const prepared = spawnCases.map(({ id, c }) => prepareCase(spec, profile, id, c));
    const exec = prepared.find((pc) => pc.id === 'spawn/clone-exec-helper')!;
    // CLONE's CQE (user_data 1) is the only one awaited; the EXEC's (2) comes from the task later
    const planted = withoutCqe(exec, 2);
    expect(graceFor(planted.form, 5)).toEqual({ cqeMs: 0, taskMs: 5 });
    // the task BUGs in commit_creds() holding uring_lock: the program never answers and is killed; its kernel log is its own
    const stuck = loadCases(spec).find(({ id }) => id === 'personality/spawn-exec')!;
    const bug = prepareCase(spec, profile, stuck.id, stuck.c);
    const verdicts = await runOnVmExecutor([...prepared, planted, bug], {
      spec, profile, series, cacheDir: cacheDir(), timeoutMs: 20_000, grace: (f) => graceFor(f, 5),
      ...(process.env.URINGSPEC_KERNEL ? { kernel: process.env.URINGSPEC_KERNEL } : {}),
      onProgress: (l) => process.stderr.write(`qemu: ${l}\n`),
    });
    const killed = verdicts.pop()!;
    expect(killed.kind).toBe('timeout');
    expect(killed.outcome.klog.join('\n')).toMatch(/kernel BUG at kernel\/cred\.c/);
    expect(killed.reason).toMatch(/^timed out after BUG/);
    const last = verdicts.pop()!;
    expect(last.kind).toBe('fail');
    expect(last.reason).toMatch(/user_data 2/);
    expect(verdicts.filter((v) => v.kind === 'fail').map((v) => `${v.id}: ${v.reason}`)).toEqual([]);
  }, 3_000_000);
});
