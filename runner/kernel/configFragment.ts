import { COVERAGE_CONFIG } from './coverageProfile.js';

export interface KconfigSetting {
  name: string;
  /** 'y', 'n', or a literal value such as a number. */
  value: string;
}

const BASE: Record<string, string> = {
  '64BIT': 'y',
  SMP: 'y',
  IO_URING: 'y',
  MULTIUSER: 'y',
  BLK_DEV_INITRD: 'y',
  BINFMT_ELF: 'y',
  BINFMT_SCRIPT: 'y',
  PRINTK: 'y',
  PRINTK_TIME: 'y',
  // tinyconfig turns BUG() support off, which also silences WARN() reports.
  BUG: 'y',
  DEBUG_BUGVERBOSE: 'y',
  // Symbol names in WARN/BUG/KASAN backtraces.
  KALLSYMS: 'y',
  TTY: 'y',
  SERIAL_8250: 'y',
  SERIAL_8250_CONSOLE: 'y',
  PROC_FS: 'y',
  PROC_SYSCTL: 'y',
  SYSFS: 'y',
  DEVTMPFS: 'y',
  DEVTMPFS_MOUNT: 'y',
  TMPFS: 'y',
  SHMEM: 'y',
  FUTEX: 'y',
  EPOLL: 'y',
  EVENTFD: 'y',
  SIGNALFD: 'y',
  TIMERFD: 'y',
  FILE_LOCKING: 'y',
  POSIX_TIMERS: 'y',
  HIGH_RES_TIMERS: 'y',
  // socketpair() for send/recv cases; no INET to keep the build short.
  NET: 'y',
  UNIX: 'y',
  // Needed for reboot(RB_POWER_OFF) to switch off QEMU's `pc` machine.
  PCI: 'y',
  ACPI: 'y',
  // A virtio-serial port carries chains to the executor and its observations back, apart from the console.
  VIRTIO_MENU: 'y',
  VIRTIO_PCI: 'y',
  VIRTIO_CONSOLE: 'y',
  DEBUG_KERNEL: 'y',
  DETECT_HUNG_TASK: 'y',
  // Short enough that a task stuck in D state is reported within a case's timeout.
  DEFAULT_HUNG_TASK_TIMEOUT: '10',
  SOFTLOCKUP_DETECTOR: 'y',
  DEBUG_ATOMIC_SLEEP: 'y',
};

const DEBUG: Record<string, string> = {
  // KASAN depends on !SLUB_TINY, which tinyconfig selects.
  SLUB_TINY: 'n',
  KASAN: 'y',
  KASAN_GENERIC: 'y',
  PROVE_LOCKING: 'y',
};

/** The Kconfig options merged on top of `make tinyconfig` for the reference kernel. */
export function configFragment(debug: boolean, coverage = false): KconfigSetting[] {
  const all = { ...BASE, ...(debug ? DEBUG : {}), ...(coverage ? COVERAGE_CONFIG : {}) };
  return Object.entries(all).map(([name, value]) => ({ name, value }));
}
