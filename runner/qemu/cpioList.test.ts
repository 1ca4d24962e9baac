import { describe, expect, it } from 'vitest';
import { cpioList } from './cpioList.js';

describe('cpioList', () => {
  it('lists mount points, the console node, parents before files', () => {
    const text = cpioList([
      { guestPath: '/init', hostPath: '/h/init', mode: 0o755 },
      { guestPath: '/cases/0', hostPath: '/h/c0', mode: 0o755 },
      { guestPath: '/usr/lib/helper/run', hostPath: '/h/run', mode: 0o700 },
    ]);
    expect(text).toBe(
      [
        'dir /cases 0755 0 0',
        'dir /dev 0755 0 0',
        'dir /proc 0555 0 0',
        'dir /sys 0555 0 0',
        'dir /tmp 1777 0 0',
        'dir /usr 0755 0 0',
        'dir /usr/lib 0755 0 0',
        'dir /usr/lib/helper 0755 0 0',
        'nod /dev/console 0600 0 0 c 5 1',
        'file /init /h/init 0755 0 0',
        'file /cases/0 /h/c0 0755 0 0',
        'file /usr/lib/helper/run /h/run 0700 0 0',
        '',
      ].join('\n'),
    );
  });

  it('rejects paths gen_init_cpio would misread, relative paths and duplicates', () => {
    expect(() => cpioList([{ guestPath: '/a b', hostPath: '/h', mode: 0o644 }])).toThrow(/whitespace/);
    expect(() => cpioList([{ guestPath: '/a', hostPath: '/h x', mode: 0o644 }])).toThrow(/host path/);
    expect(() => cpioList([{ guestPath: 'rel', hostPath: '/h', mode: 0o644 }])).toThrow(/absolute/);
    const f = { guestPath: '/x', hostPath: '/h', mode: 0o644 };
    expect(() => cpioList([f, f])).toThrow(/twice/);
  });
});
