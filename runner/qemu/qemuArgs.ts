export interface QemuArgsInput {
  kernel: string;
  initrd: string;
  memMiB: number;
  smp: number;
  startIndex: number;
  /** More kernel command-line words (e.g. uringspec.gcov=1 for /init's coverage step). */
  extraAppend?: string[];
}

/** The kernel command line every boot of ours starts with, the per-case path's and the executor's. */
export const KERNEL_APPEND_BASE: readonly string[] = [
  'console=ttyS0',
  'panic=-1', // reboot at once on panic, which -no-reboot turns into QEMU exiting
  'loglevel=7', // WARN, BUG, KASAN, lockdep and hung-task reports all reach the console
  'printk.devkmsg=on', // /init frames its output through /dev/kmsg: no rate limit
  'log_buf_len=4M',
  // TCG on a loaded host can miss the ticks check_timer() counts: "IO-APIC + timer doesn't work!", a panic at
  // boot (seen with the debug kernel while other QEMUs ran); arch/x86/kernel/apic/io_apic.c timer_irq_works() skips the check
  'no_timer_check',
];

/** qemu-system-x86_64 arguments for one boot that runs the cases from `startIndex` on. */
export function qemuArgs(o: QemuArgsInput): string[] {
  const append = [
    ...KERNEL_APPEND_BASE,
    `uringspec.start=${o.startIndex}`,
    ...(o.extraAppend ?? []),
  ].join(' ');
  return [
    '-M', 'pc', '-accel', 'tcg', '-cpu', 'max',
    '-smp', String(o.smp), '-m', String(o.memMiB),
    '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio', '-no-reboot',
    '-kernel', o.kernel, '-initrd', o.initrd, '-append', append,
  ];
}
