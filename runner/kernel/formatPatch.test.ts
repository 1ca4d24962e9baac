import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPatch, patchFileName } from './formatPatch.js';
import { readSeries } from './readSeries.js';
import { writeSeries } from './writeSeries.js';
import type { SeriesPatch } from './seriesPatch.js';

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const diff = 'diff --git a/io_uring/x.c b/io_uring/x.c\n--- a/io_uring/x.c\n+++ b/io_uring/x.c\n@@ -1,2 +1,2 @@\n \tkeep\n-old\n+new\n';
const p: SeriesPatch = { index: 8, total: 9, title: "io_uring: Let ->issue know if it was called from spawn thread", prefix: 'PATCH RFC 8/9', diff, from: 'Gabriel Krisman Bertazi', date: 'Mon, 09 Dec 2024 23:43:00 +0000', message: 'Body line.\n\nSigned-off-by: G\n---\n x.c | 2 +-\n\n', signature: '2.47.0' };
const dir = mkdtempSync(join(tmpdir(), 'uringspec-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('formatPatch', () => {
  it('names files the way git format-patch does', () => {
    expect(patchFileName(p)).toBe('0008-io_uring-Let-issue-know-if-it-was-called-from-spawn.patch');
    expect(patchFileName({ ...p, index: 1, title: 'kernel/fork: Don\'t inherit PF_USER_WORKER from parent' })).toBe('0001-kernel-fork-Don-t-inherit-PF_USER_WORKER-from-parent.patch');
  });

  it('reads back with the same diff, title and number', async () => {
    const [file] = writeSeries([p], join(dir, 'back'));
    const [q] = (await readSeries(join(dir, 'back'))).patches;
    expect(q).toMatchObject({ title: p.title, prefix: p.prefix, diff: p.diff, signature: '2.47.0' });
    expect(() => writeSeries([p], join(dir, 'back'))).toThrow('already holds *.patch files');
    expect(readFileSync(file, 'utf8')).toMatch(/^From 0{40} Mon Sep 17 00:00:00 2001\nFrom: Gabriel Krisman Bertazi <unknown@address.invalid>\n/);
  });

  it.skipIf(!hasGit)("is a mail git's own parser takes: git mailinfo finds the subject, author and the diff", () => {
    const file = join(dir, 'one.patch');
    writeFileSync(file, formatPatch(p));
    const info = execFileSync('git', ['mailinfo', join(dir, 'msg'), join(dir, 'patch')], { input: readFileSync(file), cwd: dir, encoding: 'utf8' });
    expect(info).toContain(`Subject: ${p.title}\n`);
    expect(info).toContain('Author: Gabriel Krisman Bertazi\n');
    expect(readFileSync(join(dir, 'patch'), 'utf8')).toContain(p.diff);
    expect(readFileSync(join(dir, 'msg'), 'utf8')).toBe('Body line.\n\nSigned-off-by: G\n');
  });
});
