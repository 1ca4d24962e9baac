import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractPatches } from './extractPatches.js';

function message(header: string, body: string): string {
  return `* ${header}\n  2024-12-09 23:43 [PATCH RFC 0/2] cover Someone\n@ 2024-12-09 23:43 \` Someone\nFrom: Someone @ 2024-12-09 23:43 UTC (permalink / raw)\n  To: x\n\nCommit text.\n---\n a | 1 +\n\n${body}-- \n2.47.0\n\n\n^ permalink raw reply\t[flat|nested] 5+ messages in thread\n\n`;
}
const diff = (file: string) => `diff --git a/${file} b/${file}\nindex 1..2 100644\n--- a/${file}\n+++ b/${file}\n@@ -1 +1,2 @@\n \tkeep\n+\tadd\n`;

const page = [
  'public inbox header\n',
  message('[PATCH RFC 0/2] cover', 'No diff here.\n'),
  message('[PATCH RFC 1/2] first: change a', diff('a')),
  message('[PATCH RFC 2/2] second: change b', diff('b')),
  message('Re: [PATCH RFC 2/2] second: change b', '> quoted\n' + diff('c')),
].join('');

describe('extractPatches', () => {
  it('keeps each patch from its first diff --git to the "-- " trailer, in order, tabs intact', () => {
    const ps = extractPatches(page, 'page.txt');
    expect(ps.map((p) => [p.index, p.total, p.title])).toEqual([[1, 2, 'first: change a'], [2, 2, 'second: change b']]);
    expect(ps[0].diff).toBe(diff('a'));
    expect(ps[1].diff).toContain('\tadd');
  });

  it('keeps author, date and commit message for git format-patch files', () => {
    const [p] = extractPatches(page, 'page.txt');
    expect(p).toMatchObject({ from: 'Someone', date: 'Mon, 09 Dec 2024 23:43:00 +0000', prefix: 'PATCH RFC 1/2', signature: '2.47.0' });
    expect(p.message).toBe('Commit text.\n---\n a | 1 +\n\n');
  });

  it('ignores replies even when they quote a diff', () => {
    expect(extractPatches(page, 'page.txt').some((p) => p.diff.includes('a/c'))).toBe(false);
  });

  it('names the file and the missing patches when the series is incomplete', () => {
    const partial = page.replace('[PATCH RFC 2/2] second', '[PATCH RFC 0/2] again');
    expect(() => extractPatches(partial, 'seed.txt')).toThrow('seed.txt: expected 2 patches, missing 2/2');
  });

  it('rejects malformed messages and pages without patches', () => {
    expect(() => extractPatches(page.replace(diff('a'), 'no diff\n'), 'p')).toThrow(/^p:\d+: \[PATCH RFC 1\/2\] has no "diff --git" section$/);
    expect(() => extractPatches(page.replaceAll('-- \n2.47.0', 'sig'), 'p')).toThrow(/no "-- " trailer/);
    expect(() => extractPatches('hello', 'empty.txt')).toThrow('empty.txt: no "[PATCH N/M]" messages found');
  });

  const seed = '/work/shared/seeds/io_uring-spawn-rfc-v1.txt';
  it.skipIf(!existsSync(seed))('finds the 9 patches of the io_uring spawn RFC', () => {
    const ps = extractPatches(readFileSync(seed, 'utf8'), seed);
    expect(ps).toHaveLength(9);
    expect(ps[6].title).toBe('io_uring: Introduce IORING_OP_CLONE');
    expect(ps.every((p) => p.diff.startsWith('diff --git ') && !p.diff.includes('\n-- \n'))).toBe(true);
  });
});
