import { describe, expect, it } from 'vitest';
import { failedHunks } from './failedHunks.js';
import { parseFixup } from './parseFixup.js';

describe('failedHunks', () => {
  it('names rejected hunks by file and number', () => {
    const out = [
      'patching file include/uapi/linux/io_uring.h',
      'patching file io_uring/io_uring.c',
      'Hunk #2 FAILED at 1707.',
      '1 out of 2 hunks FAILED',
      'patching file io_uring/io_uring.h',
      'Hunk #1 FAILED at 497.',
      'patching file io_uring/spawn.c',
    ].join('\n');
    expect(failedHunks(out)).toEqual(['io_uring/io_uring.c#2', 'io_uring/io_uring.h#1']);
  });

  it('reports whole files patch skipped', () => {
    expect(failedHunks('patching file a.c\nReversed (or previously applied) patch detected!  Skipping patch.\n')).toEqual(['a.c#*']);
    expect(failedHunks("can't find file to patch at input line 3\n")).toEqual(['?#*']);
  });

  it('is empty for a clean or merely offset application', () => {
    expect(failedHunks('patching file a.c\nHunk #1 succeeded at 10 (offset 3 lines).\n')).toEqual([]);
  });
});

describe('parseFixup', () => {
  it('reads the header and keeps the diff', () => {
    const f = parseFixup('Fixes-Patch: 7\nReplaces-Hunks: b.h#1 a.c#2\n\ndiff --git a/a.c b/a.c\n', 'x.patch');
    expect(f).toMatchObject({ patch: 7, replaces: ['a.c#2', 'b.h#1'], source: 'x.patch' });
  });

  it('names the file when the header or diff is missing', () => {
    expect(() => parseFixup('diff --git a/a b/a\n', 'x.patch')).toThrow('x.patch: fixup needs');
    expect(() => parseFixup('Fixes-Patch: 1\nReplaces-Hunks: a#1\n', 'x.patch')).toThrow('x.patch: fixup has no "diff --git"');
  });
});
