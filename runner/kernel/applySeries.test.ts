import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySeries } from './applySeries.js';
import { loadFixups } from './loadFixups.js';
import type { SeriesPatch } from './extractPatches.js';
import type { Fixup } from './parseFixup.js';

const hasPatch = (() => {
  try {
    execFileSync('patch', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const series = (index: number, diff: string): SeriesPatch => ({ index, total: 2, title: `t${index}`, prefix: `PATCH RFC ${index}/2`, diff });
const change = (file: string, ctx: string, from: string, to: string) =>
  `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1,2 +1,2 @@\n ${ctx}\n-${from}\n+${to}\n`;

describe.skipIf(!hasPatch)('applySeries', () => {
  let tree: string;
  beforeEach(() => {
    tree = mkdtempSync(join(tmpdir(), 'uringspec-apply-'));
    writeFileSync(join(tree, 'a.c'), 'ctx a\nstatic int f(void);\n');
    writeFileSync(join(tree, 'b.c'), 'ctx b (rebased)\nold\n');
  });
  afterEach(() => rmSync(tree, { recursive: true, force: true }));

  it('applies a clean series in order', async () => {
    const lines: string[] = [];
    await applySeries(tree, [series(1, change('a.c', 'ctx a', 'static int f(void);', 'int f(void);'))], [], (l) => lines.push(l));
    expect(readFileSync(join(tree, 'a.c'), 'utf8')).toBe('ctx a\nint f(void);\n');
    expect(lines).toEqual(['applying [PATCH RFC 1/2] t1']);
  });

  it('completes a patch with the fixup that declares exactly its rejected hunks', async () => {
    const p = series(2, change('a.c', 'ctx a', 'static int f(void);', 'int f(void);') + change('b.c', 'ctx b', 'old', 'new'));
    const fixup: Fixup = { patch: 2, replaces: ['b.c#1'], source: 'fix.patch', text: 'Fixes-Patch: 2\n\n' + change('b.c', 'ctx b (rebased)', 'old', 'new') };
    await applySeries(tree, [p], [fixup], () => {});
    expect(readFileSync(join(tree, 'a.c'), 'utf8')).toBe('ctx a\nint f(void);\n');
    expect(readFileSync(join(tree, 'b.c'), 'utf8')).toBe('ctx b (rebased)\nnew\n');
  });

  it('fails naming the patch and hunk when no fixup covers a rejection (no fuzzy guessing)', async () => {
    const p = series(1, change('b.c', 'ctx b', 'old', 'new'));
    await expect(applySeries(tree, [p], [], () => {})).rejects.toThrow('[PATCH RFC 1/2] t1: hunks b.c#1 did not apply');
  });

  it('fails when the rejected hunks differ from what the fixup declares', async () => {
    const p = series(1, change('b.c', 'ctx b', 'old', 'new'));
    const fixup: Fixup = { patch: 1, replaces: ['a.c#1'], source: 'fix.patch', text: '' };
    await expect(applySeries(tree, [p], [fixup], () => {})).rejects.toThrow('(fixup fix.patch covers a.c#1)');
  });
});

describe('loadFixups', () => {
  it('finds the repo fixup for the two context-only re-bases of 7/9', () => {
    const [f, ...rest] = loadFixups();
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ patch: 7, replaces: ['io_uring/io_uring.c#2', 'io_uring/io_uring.h#1'] });
    expect(f.text).toContain('+int io_issue_sqe(struct io_kiocb *req, unsigned int issue_flags)');
  });
});
