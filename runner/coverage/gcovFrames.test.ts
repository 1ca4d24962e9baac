import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeGcovFrames, GcovFrameDecoder } from './gcovFrames.js';

const top = mkdtempSync(join(tmpdir(), 'uringspec-gcovdump-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const gcovdump = join(top, 'gcovdump');
execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', gcovdump, join(import.meta.dirname, '..', 'guest', 'gcovdump.c')]);

describe('gcovdump and the frame decoder', () => {
  // A stand-in for /sys/kernel/debug/gcov: the tree path, .gcda files, a reset file, a .gcno symlink.
  const root = join(top, 'debugfs-gcov');
  const tree = join(root, 'root/build/linux');
  const env = { ...process.env, URINGSPEC_GCOV_ROOT: root, URINGSPEC_GCOV_ZERO: join(top, 'zero') };
  const run = (...args: string[]) => execFileSync(gcovdump, args, { env, encoding: 'utf8' });
  const big = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));

  it('dumps only the files that changed since the reset, byte for byte, under their tree paths', () => {
    mkdirSync(join(tree, 'io_uring'), { recursive: true });
    mkdirSync(join(tree, 'kernel'), { recursive: true });
    writeFileSync(join(root, 'reset'), '');
    writeFileSync(join(tree, 'io_uring/spawn.gcda'), Buffer.alloc(5000));
    writeFileSync(join(tree, 'kernel/fork.gcda'), Buffer.from('zeroed'));
    execFileSync('ln', ['-s', '/nowhere/spawn.gcno', join(tree, 'io_uring/spawn.gcno')]);
    run('reset');
    writeFileSync(join(tree, 'io_uring/spawn.gcda'), big); // counters moved
    const out = run('dump', '12');
    expect(out.split('\n').every((l) => l.length < 900)).toBe(true);
    const dumps = decodeGcovFrames(out.split('\n').map((l) => `[   3.141] ${l}`));
    const d = dumps.get('12')!;
    expect(d.problems).toEqual([]);
    expect(d.complete).toBe(true);
    expect(d.skipped).toBe(1);
    expect([...d.files.keys()]).toEqual(['root/build/linux/io_uring/spawn.gcda']);
    expect(d.files.get('root/build/linux/io_uring/spawn.gcda')!.equals(big)).toBe(true);
  });

  it('refuses a tag with spaces and a bad command', () => {
    expect(() => run('dump', 'a b')).toThrow();
    expect(() => run('frobnicate')).toThrow();
  });

  it('keeps interleaved tags apart and marks truncated dumps incomplete', () => {
    const lines = run('dump', 'A').split('\n');
    const other = run('dump', 'B').split('\n');
    const mixed = lines.flatMap((l, i) => [l, other[i] ?? '']);
    const dumps = decodeGcovFrames(mixed);
    expect(dumps.get('A')!.files.get('root/build/linux/io_uring/spawn.gcda')!.equals(big)).toBe(true);
    expect(dumps.get('B')!.complete).toBe(true);
    const dataLine = lines.findIndex((l) => l.startsWith('@@gcdb'));
    const lost = decodeGcovFrames(lines.filter((_, i) => i !== dataLine)).get('A')!;
    expect(lost.complete).toBe(false);
    expect(lost.problems[0]).toMatch(/spawn\.gcda: \d+ of 5000 bytes arrived/);
    expect(decodeGcovFrames(lines.filter((l) => !l.startsWith('@@gcov-end'))).get('A')!.problems).toContain('no @@gcov-end frame');
  });

  it('tells frames from other lines', () => {
    const d = new GcovFrameDecoder();
    expect(d.push('[ 1.0] WARNING: CPU: 0 PID: 9 at io_uring/opdef.c:43')).toBe(false);
    expect(d.push('@@gcov-begin 3')).toBe(true);
  });
});
