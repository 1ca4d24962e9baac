import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('uringspec diff options', () => {
  it('refuses a --kernel that is not there in one line naming the option, exit 2, before any VM boots', async () => {
    const r = await cli(['diff', '--target', 'qemu', '--kernel', '/nonexistent/a/bzImage', '--target', 'qemu', '--kernel', '/nonexistent/b/bzImage', '--seed', '1', '--runs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('uringspec: --kernel /nonexistent/a/bzImage: file not found (uringspec kernel build [--extra-patch P] prints the path of one)\n');
    expect(r.stderr).not.toMatch(/VM up/);
  });

  it('refuses more --kernel options than qemu targets', async () => {
    const r = await cli(['diff', '--target', 'host', '--target', 'qemu', '--kernel', '/a', '--kernel', '/b', '--seed', '1', '--runs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('uringspec: 2 --kernel options for 1 qemu targets\n');
  });
});
