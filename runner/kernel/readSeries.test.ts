import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, readSeries } from './readSeries.js';
import { kernelPlan } from './kernelPlan.js';
import { DEFAULT_SERIES } from './defaultSeries.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-series-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const diff = (f: string) => `diff --git a/${f} b/${f}\nindex 1..2 100644\n--- a/${f}\n+++ b/${f}\n@@ -1,2 +1,3 @@\n \tkeep\n \n+\tadd ${f}\n`;
const patches = [{ title: 'first: change a', diff: diff('a.c') }, { title: 'second: a rather long title that git folds in the mail header', diff: diff('b.c') }];
const body = (d: string) => `Commit text.\n\nSigned-off-by: Someone <s@example.org>\n---\n x | 1 +\n\n${d}-- \n2.47.0\n`;

// The public-inbox page: `* <subject>` per message, its thread lines, From:/To: header, body.
const page = ['public inbox for io-uring\n', '* [PATCH RFC 0/2] cover\n@ 2024-12-09 23:43 Someone\nFrom: Someone @ 2024-12-09 23:43 UTC (permalink / raw)\n  To: x\n\nCover.\n\n'].concat(
  patches.map((p, i) => `* [PATCH RFC ${i + 1}/2] ${p.title}\n  2024-12-09 23:43 [PATCH RFC 0/2] cover Someone\nFrom: Someone @ 2024-12-09 23:43 UTC (permalink / raw)\n  To: x\n\n${body(p.diff)}\n^ permalink raw reply\n\n`),
  ['* Re: [PATCH RFC 2/2] second\nFrom: Reviewer @ 2024-12-11 14:48 UTC\n\n> quoted\n' + diff('z.c') + '\n'],
).join('');

// The same thread as `b4 mbox` writes it: From_ lines, folded subjects, mboxrd quoting, a reply quoting a diff.
const mail = (subject: string, text: string) => `From someone@example.org Mon Dec  9 23:43:17 2024\nFrom: Someone <s@example.org>\nDate: Mon, 9 Dec 2024 23:43:17 +0000\nSubject: ${subject}\nMessage-ID: <${subject.length}@x>\n\n${text}\n`;
const mbox = [
  mail('[PATCH RFC 0/2] cover', 'Cover.\n>From a quoted line\n'),
  ...patches.map((p, i) => mail(`[PATCH RFC ${i + 1}/2] ${p.title.replace('git folds', 'git\n folds')}`, body(p.diff))),
  mail('Re: [PATCH RFC 2/2] second', '> quoted\n' + diff('z.c')),
].join('');

// git format-patch -o DIR --cover-letter --subject-prefix="PATCH RFC"
const formatPatchDir = (name: string) => {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, '0000-cover-letter.patch'), mail('[PATCH RFC 0/2] *** SUBJECT HERE ***', '*** BLURB HERE ***\n'));
  patches.forEach((p, i) => writeFileSync(join(d, `000${i + 1}-x.patch`), mail(`[PATCH RFC ${i + 1}/2] ${p.title}`, body(p.diff))));
  writeFileSync(join(d, 'README.md'), 'not a patch\n');
  return d;
};

const hashOf = async (path: string) => kernelPlan(await readSeries(path), 'plain', '6.12.118-1').hash;

describe('readSeries', () => {
  it('reads the page, an mbox, a gzipped mbox and a format-patch directory to the same diffs and the same kernel hash', async () => {
    const inputs = { 'public-inbox page': file('page.txt', page), mbox: file('thread.mbx', mbox), 'format-patch directory': formatPatchDir('fp') };
    for (const [format, path] of Object.entries(inputs)) {
      const r = await readSeries(path);
      expect(r.format).toBe(format);
      expect(r.patches.map((p) => [p.index, p.total, p.diff])).toEqual(patches.map((p, i) => [i + 1, 2, p.diff]));
    }
    expect((await readSeries(file('thread.mbox.gz', gzipSync(mbox)))).patches[1].title).toBe(patches[1].title);
    const hashes = await Promise.all([...Object.values(inputs), join(dir, 'thread.mbox.gz')].map(hashOf));
    expect(new Set(hashes).size).toBe(1);
  });

  it('gives another hash when one diff differs by a byte', async () => {
    const changed = file('changed.mbx', mbox.replace('+\tadd b.c', '+\tadd b.c '));
    expect(await hashOf(changed)).not.toBe(await hashOf(file('same.mbx', mbox)));
  });

  it('takes a single format-patch file as an mbox of one patch, and an unnumbered [PATCH] as 1/1', async () => {
    const r = await readSeries(file('one.patch', mail('[PATCH] fix: a', body(diff('a.c')))));
    expect(r.patches.map((p) => [p.index, p.total, p.title, p.diff])).toEqual([[1, 1, 'fix: a', diff('a.c')]]);
  });

  it('names the file and the problem in one line', async () => {
    await expect(readSeries(join(dir, 'absent.mbx'))).rejects.toThrow(`patch series not found: ${join(dir, 'absent.mbx')}`);
    await expect(readSeries(file('notes.txt', 'just some notes\n'))).rejects.toThrow(/notes\.txt: not a public-inbox thread page, an mbox or a git format-patch file/);
    const gap = file('gap.mbx', mbox.replace('[PATCH RFC 1/2]', 'Re: [PATCH RFC 1/2]'));
    await expect(readSeries(gap)).rejects.toThrow(`${gap}: expected 2 patches, missing 1/2`);
    const nodiff = file('nodiff.mbx', mbox.replace(body(patches[0].diff), 'no diff here\n'));
    await expect(readSeries(nodiff)).rejects.toThrow(`${nodiff}#2: [PATCH RFC 1/2] has no "diff --git" section`);
    mkdirSync(join(dir, 'empty'));
    await expect(readSeries(join(dir, 'empty'))).rejects.toThrow('directory has no *.patch files');
  });
});

describe('detectFormat', () => {
  it('tells a page from an mbox or a bare mail by content', () => {
    expect(detectFormat(page)).toBe('public-inbox page');
    expect(detectFormat(mbox)).toBe('mbox');
    expect(detectFormat('Subject: [PATCH] x\nFrom: a\n\nbody')).toBe('mbox');
    expect(detectFormat('diff --git a/x b/x\n')).toBeUndefined();
  });
});

describe('the series kept in the repo', () => {
  const seed = '/work/shared/seeds/io_uring-spawn-rfc-v1.txt';
  it.skipIf(!existsSync(seed))('has the diffs of the seed page byte for byte, hence the same kernel hash', async () => {
    const kept = await readSeries(DEFAULT_SERIES);
    const fromPage = await readSeries(seed);
    expect(kept.format).toBe('format-patch directory');
    expect(kept.patches.map((p) => p.diff)).toEqual(fromPage.patches.map((p) => p.diff));
    expect(await hashOf(DEFAULT_SERIES)).toBe(await hashOf(seed));
  });

  it('is the nine RFC patches, in order', async () => {
    const kept = await readSeries(DEFAULT_SERIES);
    expect(kept.patches.map((p) => p.prefix)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `PATCH RFC ${n}/9`));
    expect(kept.patches[6].title).toBe('io_uring: Introduce IORING_OP_CLONE');
  });
});
