import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../kernel/cacheDir.js';
import { BootTracker, type BootTiming } from './bootTracker.js';
import { bootVm } from './bootVm.js';
import { buildInitramfs } from './buildInitramfs.js';
import { guestInit } from './guestInit.js';
import { guard } from './processGuard.js';
import { interrupted } from '../interrupt.js';
import { qemuArgs } from './qemuArgs.js';
import type { VmCaseResult, VmRunOptions, VmRunResult } from './types.js';

export type { VmCase, VmRunOptions, VmCaseStatus, VmCaseResult, VmRunResult } from './types.js';

// Guest-side grace periods of /init (drain, SIGKILL wait, leftover reaping) plus slack.
const CASE_MARGIN_MS = 25_000;

function describe(r: VmCaseResult): string {
  const how = r.signal !== undefined ? `signal ${r.signal}` : r.exitCode !== undefined ? `exit ${r.exitCode}` : '';
  const kinds = [...new Set(r.findings.map((f) => f.kind))];
  return [r.status, how, kinds.length ? `[${kinds.join(',')}]` : '', `${r.ms} ms`].filter(Boolean).join(' ');
}

/**
 * Runs a batch of static case binaries in the reference kernel under QEMU, one
 * boot for the whole batch, rebooting past any case that hangs, crashes the
 * kernel, or leaves kernel findings behind.
 */
export async function runInVm(o: VmRunOptions): Promise<VmRunResult> {
  const t0 = Date.now();
  const say = o.onProgress ?? (() => {});
  const n = o.cases.length;
  const results: VmCaseResult[] = o.cases.map((c) => ({ id: c.id, status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 }));
  if (!existsSync(o.kernel)) throw new Error(`kernel image not found: ${o.kernel}`);
  if (n === 0) return { results, boots: 0, bootMs: [], totalMs: Date.now() - t0 };
  const slow = o.debugKernel ? 3 : 1;
  const timing: BootTiming = { bootTimeoutMs: (o.bootTimeoutSec ?? 60 * slow) * 1000, caseMarginMs: CASE_MARGIN_MS * slow, betweenMs: 30_000 * slow, powerOffMs: 20_000 };
  const workDir = mkdtempSync(join(tmpdir(), 'uringspec-vm-'));
  const release = guard({ dir: workDir });
  const bootMs: number[] = [];
  let boots = 0;
  try {
    const init = await guestInit(o.cacheDir ?? defaultCacheDir());
    const initrd = await buildInitramfs({ genInitCpio: o.genInitCpio, init, cases: o.cases, extraFiles: o.extraFiles ?? [], workDir });
    let start = 0;
    let failedBoots = 0;
    // after Ctrl-C (runner/interrupt.ts killed QEMU) no new boot starts
    while (start < n && boots < n + 3 && failedBoots < 2 && !interrupted()) {
      boots++;
      say(`boot ${boots}: cases ${start + 1}..${n}`);
      let reported = start;
      const tracker = new BootTracker(o.cases, results, start, timing, Date.now(), o.isolateAfterFinding ?? true);
      const args = qemuArgs({ kernel: o.kernel, initrd, memMiB: o.memMiB ?? (o.debugKernel ? 1024 : 512), smp: o.smp ?? 2, startIndex: start, ...(o.kernelArgs ? { extraAppend: o.kernelArgs } : {}) });
      let saidUp = false;
      const report = (upTo: number) => {
        if (!saidUp && tracker.bootMs !== undefined) say(`boot ${boots}: /init up after ${(tracker.bootMs / 1000).toFixed(1)} s`);
        saidUp ||= tracker.bootMs !== undefined;
        for (; reported < Math.min(upTo, n); reported++) say(`case ${reported + 1}/${n} ${o.cases[reported].id}: ${describe(results[reported])}`);
      };
      const progress = setInterval(() => report(tracker.phase === 'running' ? tracker.current! : tracker.nextStart()), 250);
      const outcome = await bootVm(args, tracker).finally(() => clearInterval(progress));
      report(tracker.nextStart());
      if (tracker.bootMs !== undefined) bootMs.push(tracker.bootMs);
      if (tracker.ran > 0 || tracker.phase === 'done') {
        failedBoots = 0;
      } else {
        failedBoots++;
        const why = outcome.stderr.trim().split('\n').pop() || tracker.bootLog.slice(-1)[0] || 'no output';
        const what = tracker.reachedInit
          ? 'reached /init but started no case'
          : outcome.exitedByItself
            ? 'exited before reaching /init'
            : `did not reach /init within ${timing.bootTimeoutMs / 1000} s`;
        if (boots === 1) throw new Error(`VM ${what} (kernel ${o.kernel}): ${why}`);
        say(`boot ${boots}: ${what}: ${why}`);
      }
      start = tracker.nextStart();
    }
    for (const r of results) if (r.status === 'not-run' && !r.note) r.note = 'VM stopped before this case began';
    return { results, boots, bootMs, totalMs: Date.now() - t0 };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    release();
  }
}
