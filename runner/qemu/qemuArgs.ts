export interface QemuArgsInput {
  kernel: string;
  initrd: string;
  memMiB: number;
  smp: number;
  startIndex: number;
  /** More kernel command-line words (e.g. uringspec.gcov=1 for /init's coverage step). */
  extraAppend?: string[];
}

/** qemu-system-x86_64 arguments for one boot that runs the cases from `startIndex` on. */
export function qemuArgs(o: QemuArgsInput): string[] {
  const append = [
    'console=ttyS0',
    'panic=-1', // reboot at once on panic, which -no-reboot turns into QEMU exiting
    'loglevel=7', // WARN, BUG, KASAN, lockdep and hung-task reports all reach the console
    'printk.devkmsg=on', // /init frames its output through /dev/kmsg: no rate limit
    'log_buf_len=4M',
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
