import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineCoverage, runGcov, treeRelative } from './runGcov.js';
import type { GcovDump } from './gcovFrames.js';

const top = mkdtempSync(join(tmpdir(), 'uringspec-rungcov-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

// A tiny "kernel tree": a unit and a header with an inline function, built with gcc's coverage flags.
const tree = join(top, 'build/linux');
const src = `#include "spawn.h"
int pick(int a)
{
	if (a > 3)
		return twice(a);
	return a;
}
`;
const header = 'static inline int twice(int x)\n{\n\treturn x * 2;\n}\n';
const main = 'int pick(int a);\nint main(int argc, char **argv)\n{\n\t(void)argv;\n\treturn pick(argc) > 100;\n}\n';

function buildAndRun(args: string[]): Buffer {
  execFileSync('./prog', args, { cwd: tree });
  return readFileSync(join(tree, 'io_uring/spawn.gcda'));
}

describe('runGcov', () => {
  mkdirSync(join(tree, 'io_uring'), { recursive: true });
  writeFileSync(join(tree, 'io_uring/spawn.c'), src);
  writeFileSync(join(tree, 'io_uring/spawn.h'), header);
  writeFileSync(join(tree, 'main.c'), main);
  execFileSync('gcc', ['-fprofile-arcs', '-ftest-coverage', '-O0', '-c', 'io_uring/spawn.c', '-o', 'io_uring/spawn.o'], { cwd: tree });
  execFileSync('gcc', ['-fprofile-arcs', '-o', 'prog', 'main.c', 'io_uring/spawn.o'], { cwd: tree });
  // What the coverage kernel's cache entry keeps: the .gcno and the sources, not the build tree.
  const entry = join(top, 'entry-gcov');
  mkdirSync(join(entry, 'io_uring'), { recursive: true });
  for (const f of ['io_uring/spawn.gcno', 'io_uring/spawn.c', 'io_uring/spawn.h']) writeFileSync(join(entry, f), readFileSync(join(tree, f)));

  it('maps guest paths under debugfs to tree paths', () => {
    expect(treeRelative('root/.cache/b/linux/io_uring/spawn.gcda', '/root/.cache/b/linux')).toBe('io_uring/spawn.gcda');
    expect(treeRelative('other/io_uring/spawn.gcda', '/root/.cache/b/linux')).toBeUndefined();
  });

  it('gives line, branch and function counts of a dump, header lines included', async () => {
    const one = buildAndRun([]); // argc 1: the branch to twice() is not taken
    rmSync(join(tree, 'io_uring/spawn.gcda'));
    const four = buildAndRun(['a', 'b', 'c']); // argc 4: it is
    const guest = tree.slice(1) + '/io_uring/spawn.gcda';
    const dump = (data: Buffer): GcovDump => ({ tag: 't', files: new Map([[guest, data]]), complete: true, problems: [], skipped: 0 });
    const a = await runGcov(dump(one), entry, tree);
    const b = await runGcov(dump(four), entry, tree);
    const spawn = a.get('io_uring/spawn.c')!;
    expect(spawn.lines.get(4)).toMatchObject({ count: 1, fn: 'pick' });
    expect(spawn.lines.get(4)!.branches).toHaveLength(2);
    expect(spawn.lines.get(5)!.count).toBe(0);
    expect(b.get('io_uring/spawn.c')!.lines.get(5)!.count).toBe(1);
    expect(b.get('io_uring/spawn.h')!.lines.get(3)!.count).toBe(1);
    expect(a.get('io_uring/spawn.h')!.lines.get(3)!.count).toBe(0);
    expect(spawn.functions.get('pick')).toEqual({ start: 2, end: 7, count: 1 });
  });

  it('lists every executable line with no counts from the .gcno files alone', async () => {
    const base = await baselineCoverage(entry);
    const spawn = base.get('io_uring/spawn.c')!;
    expect([...spawn.lines.keys()].sort((a, b) => a - b)).toEqual([2, 4, 5, 6]);
    expect([...spawn.lines.values()].every((l) => l.count === 0)).toBe(true);
    expect(spawn.lines.get(4)!.branches).toEqual([0, 0]);
  });

  it('ignores files outside the tree and returns nothing for an empty dump', async () => {
    const d: GcovDump = { tag: 't', files: new Map([['elsewhere/x.gcda', Buffer.alloc(4)]]), complete: true, problems: [], skipped: 0 };
    expect((await runGcov(d, entry, tree)).size).toBe(0);
  });
});
