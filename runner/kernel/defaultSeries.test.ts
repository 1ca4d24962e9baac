import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriesMissing } from './defaultSeries.js';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'uringspec.js');

describe('no series', () => {
  it('says in one line where to get the thread and what to run', () => {
    const m = seriesMissing('/nowhere').message;
    expect(m.split('\n')).toHaveLength(1);
    expect(m).toContain('/nowhere');
    expect(m).toContain('https://lore.kernel.org/io-uring/');
    expect(m).toContain('npx uringspec kernel build --series <file>');
  });

  it('kernel build and run --target qemu stop with that line and exit 2 before any work, the cache untouched', () => {
    const cache = mkdtempSync(join(tmpdir(), 'uringspec-noseries-'));
    try {
      const env = { ...process.env, URINGSPEC_CACHE: cache, URINGSPEC_SERIES: '/nowhere/thread.mbx' };
      const build = spawnSync(process.execPath, [cli, 'kernel', 'build', '--series', '/nowhere/thread.mbx'], { env, encoding: 'utf8' });
      expect([build.status, build.stderr.trim()]).toEqual([2, 'uringspec: patch series not found: /nowhere/thread.mbx']);
      const run = spawnSync(process.execPath, [cli, 'run', '--target', 'qemu', 'cases/nop'], { env, encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n').pop()).toBe(`uringspec: ${seriesMissing('/nowhere/thread.mbx').message}`);
      expect(spawnSync('ls', ['-A', join(cache, 'kernel')]).status).not.toBe(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
