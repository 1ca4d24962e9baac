import { describe, expect, it } from 'vitest';
import { BootTracker, type BootTiming } from './bootTracker.js';
import { parseSerialLine } from './serialParser.js';
import type { VmCase, VmCaseResult } from './types.js';

const timing: BootTiming = { bootTimeoutMs: 60_000, caseMarginMs: 25_000, betweenMs: 30_000, powerOffMs: 20_000 };
const cases: VmCase[] = ['a', 'b', 'c'].map((id) => ({ id, binary: `/h/${id}`, timeoutSec: 5 }));

function setup(start = 0, isolate = true) {
  const results: VmCaseResult[] = cases.map((c) => ({ id: c.id, status: 'not-run', stdout: [], klog: [], findings: [], ms: 0 }));
  const t = new BootTracker(cases, results, start, timing, 1000, isolate);
  const feed = (lines: string, now = 2000) => lines.trim().split('\n').flatMap((l) => parseSerialLine(l).map((ev) => t.handle(ev, now)));
  return { t, results, feed };
}

const end = (i: number, status = 'exit:0', timeout = 0) => `@@end ${i} status=${status} timeout=${timeout} ms=12 extra=0 stuck=0`;

describe('BootTracker', () => {
  it('records exit codes, signals, guest timeouts and output per case', () => {
    const { t, results, feed } = setup();
    feed(`[ 0.1] Linux version 6.12\n@@init start=0 cases=3\n@@begin 0 a\n@@out 0 hi\n${end(0)}\n@@begin 1 b\n${end(1, 'signal:11')}\n@@begin 2 c\n${end(2, 'signal:9', 1)}\n@@done`);
    expect(t.bootMs).toBe(1000);
    expect(t.bootLog).toEqual(['[ 0.1] Linux version 6.12']);
    expect(results[0]).toMatchObject({ status: 'exited', exitCode: 0, stdout: ['hi'], ms: 12 });
    expect(results[1]).toMatchObject({ status: 'exited', signal: 11 });
    expect(results[2]).toMatchObject({ status: 'timeout', signal: 9, note: 'killed after its 5 s timeout' });
    expect(t.nextStart()).toBe(3);
  });

  it('joins @@cont chunks of a long output line with its @@out', () => {
    const { results, feed } = setup();
    feed(`@@init start=0 cases=3\n@@begin 0 a\n@@cont 0 abc\n[ 1.0] a kernel line between\n@@cont 0 def\n@@out 0 ghi\n@@out 0 next\n${end(0)}`);
    expect(results[0].stdout).toEqual(['abcdefghi', 'next']);
  });

  it('attributes kernel lines to the running case, then late ones to the case that just ended', () => {
    const { results, feed } = setup();
    feed(`@@init start=0 cases=3\n@@begin 0 a\n[ 1.0] uringspec: begin a\n[ 1.1] WARNING: CPU: 0 PID: 9 at io_uring/opdef.c:43 io_no_issue\n${end(0)}\n[ 9.0] INFO: task iou-spawn:9 blocked for more than 10 seconds.\n@@begin 1 b\n[ 9.5] noise`);
    expect(results[0].klog).toHaveLength(2);
    expect(results[0].findings.map((f) => f.kind)).toEqual(['WARN', 'HUNG_TASK']);
    expect(results[1].klog).toEqual(['[ 9.5] noise']);
  });

  it('asks to stop after a case with findings, resuming at the next case', () => {
    const { t, feed } = setup();
    expect(feed(`@@init start=0 cases=3\n@@begin 0 a\n[ 1.1] BUG: KASAN: slab-use-after-free in io_clone\n${end(0)}`)).toEqual(['continue', 'continue', 'continue', 'stop']);
    expect(t.nextStart()).toBe(1);
    const quiet = setup(0, false);
    expect(quiet.feed(`@@init start=0 cases=3\n@@begin 0 a\n[ 1.1] WARNING: x\n${end(0)}`)).not.toContain('stop');
  });

  it('on a host watchdog expiry marks the running case timeout, or crash after an oops', () => {
    const a = setup(1);
    a.feed('@@init start=1 cases=3\n@@begin 1 b', 3000);
    expect(a.t.deadline()).toBe(3000 + 5000 + 25_000);
    a.t.stopped('expired', 33_000);
    expect(a.results[1]).toMatchObject({ status: 'timeout', ms: 30_000, note: 'host watchdog: no @@end within 30 s' });
    expect(a.t.nextStart()).toBe(2);

    const b = setup();
    b.feed('@@init start=0 cases=3\n@@begin 0 a\n[ 2.0] Oops: 0000 [#1] SMP');
    b.t.stopped('expired', 40_000);
    expect(b.results[0].status).toBe('crash');
  });

  it('marks the running case crash when QEMU exits by itself (panic=-1, -no-reboot)', () => {
    const { t, results, feed } = setup();
    feed('@@init start=0 cases=3\n@@begin 0 a\n[ 2.0] Kernel panic - not syncing: Fatal exception');
    t.stopped('exited', 5000);
    expect(results[0]).toMatchObject({ status: 'crash', note: 'QEMU exited while the case ran' });
    expect(results[0].findings.map((f) => f.kind)).toEqual(['PANIC']);
    expect(t.nextStart()).toBe(1);
  });

  it('blames a panic right after a case ended on that case', () => {
    const { t, results, feed } = setup();
    feed(`@@init start=0 cases=3\n@@begin 0 a\n${end(0)}\n[ 3.0] Kernel panic - not syncing: bad`);
    t.stopped('exited', 5000);
    expect(results[0].status).toBe('crash');
    expect(t.nextStart()).toBe(1);
  });

  it('uses the boot timeout until /init is up and restarts at the same index if it never is', () => {
    const { t } = setup(2);
    expect(t.deadline()).toBe(1000 + 60_000);
    t.stopped('expired', 61_000);
    expect(t.reachedInit).toBe(false);
    expect(t.ran).toBe(0);
    expect(t.nextStart()).toBe(2);
  });

  it('ignores frames for cases it was not told about', () => {
    const { t, results, feed } = setup();
    feed(`@@init start=0 cases=3\n@@begin 7 zz\n@@out 1 stray\n${end(1)}`);
    expect(t.ran).toBe(0);
    expect(results.every((r) => r.status === 'not-run' && r.stdout.length === 0)).toBe(true);
  });
});
