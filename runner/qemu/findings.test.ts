import { describe, expect, it } from 'vitest';
import { classifyKernelLine } from './findings.js';

describe('classifyKernelLine', () => {
  it.each([
    ['[    3.101010] WARNING: CPU: 1 PID: 77 at io_uring/io_uring.c:1812 io_no_issue+0x1a/0x20', 'WARN'],
    ['[    3.2] BUG: kernel NULL pointer dereference, address: 0000000000000008', 'BUG'],
    ['[    3.2] kernel BUG at io_uring/spawn.c:42!', 'BUG'],
    ['[    3.2] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283', 'BUG'],
    ['[    3.3] Oops: 0000 [#1] SMP', 'OOPS'],
    ['[    3.3] Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] SMP KASAN', 'OOPS'],
    ['[    3.3] KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]', 'KASAN'],
    ['[    3.3] general protection fault: 0000 [#1] SMP', 'OOPS'],
    ['[    3.4] BUG: KASAN: slab-use-after-free in io_spawn_worker+0x31/0x90', 'KASAN'],
    ['[    3.5] WARNING: possible circular locking dependency detected', 'LOCKDEP'],
    ['[    3.5] WARNING: possible recursive locking detected', 'LOCKDEP'],
    ['[    3.5] WARNING: inconsistent lock state', 'LOCKDEP'],
    ['[   25.0] INFO: task iou-spawn:91 blocked for more than 10 seconds.', 'HUNG_TASK'],
    ['[   30.0] Kernel panic - not syncing: Fatal exception', 'PANIC'],
    ['[   40.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [t:88]', 'SOFTLOCKUP'],
    ['[   41.0] rcu: INFO: rcu_sched self-detected stall on CPU', 'RCU_STALL'],
    ['[   41.0] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:', 'RCU_STALL'],
  ])('%s -> %s', (line, kind) => {
    expect(classifyKernelLine(line)).toBe(kind);
  });

  it('ignores ordinary boot and report-body lines', () => {
    for (const line of [
      '[    0.000000] Linux version 6.12.117 (root@host) #1 SMP',
      '[    3.1] ------------[ cut here ]------------',
      '[    3.1] Call Trace:',
      '[    3.1] CPU: 1 UID: 0 PID: 77 Comm: case Tainted: G        W          6.12.117 #1',
      '[    1.0] Run /init as init process',
    ]) expect(classifyKernelLine(line)).toBeUndefined();
  });
});
