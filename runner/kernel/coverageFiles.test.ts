import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profiledFiles, saveCoverageFiles, savePristine, touchedFiles } from './coverageFiles.js';

const top = mkdtempSync(join(tmpdir(), 'uringspec-covfiles-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const put = (root: string, f: string, text: string) => {
  mkdirSync(dirname(join(root, f)), { recursive: true });
  writeFileSync(join(root, f), text);
};

describe('coverage files', () => {
  it('lists the files a series touches from its diffs', () => {
    const d = 'diff --git a/fs/exec.c b/fs/exec.c\n--- a/fs/exec.c\n+++ b/fs/exec.c\n@@ -1 +1 @@\n-a\n+b\n';
    const n = 'diff --git a/io_uring/spawn.c b/io_uring/spawn.c\nnew file mode 100644\n--- /dev/null\n+++ b/io_uring/spawn.c\n@@ -0,0 +1 @@\n+x\n';
    expect(touchedFiles([d, n, d])).toEqual(['fs/exec.c', 'io_uring/spawn.c']);
  });

  it('keeps the profiled sources with their .gcno and the series as applied, new files included', async () => {
    const tree = join(top, 'tree');
    put(tree, 'fs/exec.c', 'one\nTWO\nthree\n');
    put(tree, 'fs/exec.gcno', 'gcno');
    put(tree, 'fs/open.c', 'not profiled\n');
    put(tree, 'kernel/fork.c', 'fork\n');
    put(tree, 'io_uring/spawn.c', 'new\nfile\n');
    put(tree, 'io_uring/spawn.gcno', 'gcno');
    put(tree, 'io_uring/spawn.h', 'h\n');
    expect(profiledFiles(tree)).toEqual(['io_uring/spawn.c', 'io_uring/spawn.h', 'kernel/fork.c', 'fs/exec.c']);
    const pristine = join(top, 'pristine');
    put(tree + '-orig', 'fs/exec.c', 'one\ntwo\nthree\n');
    savePristine(tree + '-orig', ['fs/exec.c', 'io_uring/spawn.c'], pristine);
    expect(existsSync(join(pristine, 'io_uring/spawn.c'))).toBe(false);
    const dest = join(top, 'gcov');
    await saveCoverageFiles(tree, pristine, ['fs/exec.c', 'io_uring/spawn.c'], dest);
    expect(readFileSync(join(dest, 'io_uring/spawn.gcno'), 'utf8')).toBe('gcno');
    expect(existsSync(join(dest, 'kernel/fork.gcno'))).toBe(false);
    expect(existsSync(join(dest, 'fs/open.c'))).toBe(false);
    const applied = readFileSync(join(dest, 'applied.diff'), 'utf8');
    expect(applied).toContain('--- a/fs/exec.c\n+++ b/fs/exec.c\n@@ -2 +2 @@\n-two\n+TWO\n');
    expect(applied).toContain('+++ b/io_uring/spawn.c\n@@ -0,0 +1,2 @@\n+new\n+file\n');
  });
});
