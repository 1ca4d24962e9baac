import { describe, expect, it } from 'vitest';
import { configFragment } from './configFragment.js';
import { renderFragment } from './renderFragment.js';
import { checkConfig } from './checkConfig.js';

const names = (debug: boolean) => configFragment(debug).map((s) => s.name);

describe('configFragment', () => {
  it('has what the guest and the spawn ops need, with cheap hang/atomic-sleep detectors', () => {
    for (const n of ['64BIT', 'SMP', 'IO_URING', 'MULTIUSER', 'BLK_DEV_INITRD', 'BINFMT_ELF', 'SERIAL_8250_CONSOLE', 'DEVTMPFS', 'TMPFS', 'PCI', 'ACPI', 'BUG', 'DETECT_HUNG_TASK', 'SOFTLOCKUP_DETECTOR', 'DEBUG_ATOMIC_SLEEP']) {
      expect(names(false)).toContain(n);
    }
    expect(names(false)).not.toContain('KASAN');
    expect(names(false)).not.toContain('PANIC_ON_OOPS');
  });

  it('debug adds KASAN (with SLUB_TINY off) and lockdep', () => {
    const debug = configFragment(true);
    expect(debug).toEqual(expect.arrayContaining([{ name: 'KASAN', value: 'y' }, { name: 'SLUB_TINY', value: 'n' }, { name: 'PROVE_LOCKING', value: 'y' }]));
    expect(debug.length).toBeGreaterThan(configFragment(false).length);
  });
});

describe('renderFragment / checkConfig', () => {
  const wanted = [{ name: 'A', value: 'y' }, { name: 'B', value: 'n' }, { name: 'C', value: '10' }];

  it('renders y, n and literal values the way .config does', () => {
    expect(renderFragment(wanted)).toBe('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=10\n');
  });

  it('accepts a .config that kept everything, unset meaning n', () => {
    expect(checkConfig('CONFIG_A=y\nCONFIG_C=10\n', wanted)).toEqual([]);
  });

  it('lists every option kconfig dropped or changed', () => {
    expect(checkConfig('# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_C=120\n', wanted)).toEqual([
      'CONFIG_A=n (wanted y)',
      'CONFIG_B=y (wanted n)',
      'CONFIG_C=120 (wanted 10)',
    ]);
  });
});
