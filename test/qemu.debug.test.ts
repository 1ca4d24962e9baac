import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { loadCases } from '../runner/corpus.js';
import { notApplicable } from '../runner/selectCases.js';
import { prepareCase } from '../runner/prepareCase.js';
import { DEFAULT_SERIES } from '../runner/vm/runQemu.js';
import { runOnVmExecutor } from '../runner/vm/runOnVm.js';
import { cacheDir } from '../runner/context.js';
import { strayReports, type LateLine } from '../runner/verdictChecks.js';

const spec = loadSpec();
const series = process.env.URINGSPEC_SERIES ?? DEFAULT_SERIES;
const canBoot = existsSync('/usr/bin/qemu-system-x86_64') && existsSync(series);

/**
 * The spawn cases on the debug reference kernel (KASAN + lockdep, `uringspec kernel build --debug`), built here
 * when the cache has none: a cold build is about 6 to 12 minutes on 2 cores, the run about a minute.
 */
describe.skipIf(!canBoot)('the cases that spawn, in QEMU on the debug (KASAN + lockdep) reference kernel', () => {
  it('builds or reuses the debug kernel, runs every case that spawns, and charges each kernel report to the case that caused it', async () => {
    const profile = spec.profiles['rfc-v1-6.12']!;
    // the spawn corpus, and every other case whose chain spawns a task (fixed files, personalities, ...)
    const prepared = loadCases(spec).filter(({ c }) => !notApplicable(c, profile, 'qemu')).map(({ id, c }) => prepareCase(spec, profile, id, c))
      .filter((p) => p.id.startsWith('spawn/') || (p.c.expect.spawn?.tasks.length ?? 0) > 0);
    const late: LateLine[] = [];
    const verdicts = await runOnVmExecutor(prepared, {
      spec, profile, series, cacheDir: cacheDir(), timeoutMs: 20_000, debugKernel: true,
      onProgress: (l) => process.stderr.write(`qemu debug: ${l}\n`),
      onLate: (afterId, line) => late.push({ afterId, line }),
    });
    // a finding (a lockdep WARN, a KASAN report, a hang, a crash) is an outcome the RFC kernel may have; a plain mismatch is not
    const unexplained = verdicts.filter((v) => v.kind === 'fail').map((v) => `${v.id}: ${v.reason}`);
    expect(unexplained).toEqual([]);
    // every report the kernel printed went to the case running when it came, not past its answer to no case
    expect(strayReports(late, verdicts)).toEqual([]);
    expect(verdicts.filter((v) => v.kind !== 'skip').length).toBe(prepared.length);

    // what only this kernel shows, from the source. io_uring/io_uring.h io_lockdep_assert_cq_locked() (CONFIG_PROVE_LOCKING):
    // on a DEFER_TASKRUN ring only ctx->submitter_task may post CQEs, and the spawned task posts its members' (RFC 7/9
    // io_uring_spawn_task(): io_submit_flush_completions()), so each such case is a WARN at that assertion
    const byId = new Map(verdicts.map((v) => [v.id, v]));
    const deferSpawns = prepared.filter((p) => (p.c.ring.flags ?? []).includes('IORING_SETUP_DEFER_TASKRUN') && p.c.expect.spawn?.tasks.length);
    expect(deferSpawns.length).toBeGreaterThan(0);
    for (const p of deferSpawns) {
      const v = byId.get(p.id)!;
      expect({ id: p.id, kind: v.kind, assertion: v.outcome.findings.some((f) => /at io_uring\/io_uring\.h:\d+ /.test(f.line)) }).toEqual({ id: p.id, kind: 'finding', assertion: true });
    }
    // a member that blocks holds ctx->uring_lock (RFC 7/9 io_uring_spawn_task(): mutex_lock() around the loop): the
    // hung-task report of the submitter lists the lock as held by the spawned task (kernel/hung_task.c debug_show_all_locks())
    const blocking = prepared.filter((p) => p.c.rules.includes('spawn.member.blocking-releases-ring'));
    expect(blocking.length).toBeGreaterThan(0);
    for (const p of blocking) {
      const klog = byId.get(p.id)!.outcome.klog;
      const holder = klog.findIndex((l) => /lock held by iou-spawn\/\d+/.test(l));
      expect({ id: p.id, holder: holder >= 0, lock: holder >= 0 && /uring_lock/.test(klog[holder + 1] ?? '') }).toEqual({ id: p.id, holder: true, lock: true });
    }
  }, 2_700_000);
});
