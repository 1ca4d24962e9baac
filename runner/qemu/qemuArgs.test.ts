import { describe, expect, it } from 'vitest';
import { qemuArgs } from './qemuArgs.js';

describe('qemuArgs', () => {
  it('boots the pc machine under TCG with the serial console on stdio and the resume index', () => {
    const args = qemuArgs({ kernel: '/k/bzImage', initrd: '/w/i.cpio', memMiB: 512, smp: 2, startIndex: 4 });
    expect(args.join(' ')).toContain('-M pc -accel tcg -cpu max -smp 2 -m 512');
    expect(args).toContain('-no-reboot');
    expect(args.slice(args.indexOf('-kernel'), args.indexOf('-kernel') + 4)).toEqual(['-kernel', '/k/bzImage', '-initrd', '/w/i.cpio']);
    const append = args[args.indexOf('-append') + 1];
    expect(append.split(' ')).toEqual(expect.arrayContaining(['console=ttyS0', 'panic=-1', 'loglevel=7', 'printk.devkmsg=on', 'no_timer_check', 'uringspec.start=4']));
  });

  it('appends extra kernel command-line words', () => {
    const args = qemuArgs({ kernel: 'k', initrd: 'i', memMiB: 512, smp: 2, startIndex: 0, extraAppend: ['uringspec.gcov=1'] });
    expect(args[args.indexOf('-append') + 1].split(' ')).toContain('uringspec.gcov=1');
  });
});
