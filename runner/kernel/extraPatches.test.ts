import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../spec/load/inputError.js';
import { cli } from '../../test/helpers.js';
import { applyExtraPatches, diffOf, readExtraPatches } from './extraPatches.js';
import { kernelPlan } from './kernelPlan.js';
import { readSeries } from './readSeries.js';
import { DEFAULT_SERIES } from './defaultSeries.js';
import { linuxSource, linuxSourceVersion } from './linuxSource.js';
import type { SeriesPatch } from './seriesPatch.js';

const dir = mkdtempSync(join(tmpdir(), 'uringspec-extra-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const diff = (file: string, from: string, to: string) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1,2 +1,2 @@\n ctx\n-${from}\n+${to}\n`;
const mail = (d: string) => `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH] io_uring: mine\n\nwhy\n---\n x | 2 +-\n\n${d}-- \n2.39.5\n\n`;
const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

const series = { format: 'mbox' as const, patches: [{ index: 1, total: 1, title: 't', diff: 'diff --git a/x b/x\n' } as SeriesPatch] };
const hashWith = (paths: string[]) => kernelPlan(series, 'plain', '6.12.118-1', readExtraPatches(paths)).hash;

describe('kernel build --extra-patch', () => {
  it('takes the diff of a format-patch mail, of git diff output and of diff -u, and nothing else', () => {
    const d = diff('a.c', 'old', 'new');
    expect(diffOf(mail(d))).toBe(d);
    expect(diffOf(`${d}\n\n`)).toBe(d);
    const plain = '--- a/a.c\t2026-12-07\n+++ b/a.c\t2026-12-07\n@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n';
    expect(diffOf(`Only in a: b\n${plain}`)).toBe(plain);
    expect(diffOf('just a note\n--- not a diff\n')).toBeUndefined();
  });

  it('enters the cache key by content and order; no extra patch leaves the key as it was', () => {
    const a = write('a.patch', mail(diff('a.c', 'old', 'new')));
    const aAgain = write('a-again.diff', diff('a.c', 'old', 'new'));
    const b = write('b.patch', diff('b.c', 'old', 'newer'));
    const plain = kernelPlan(series, 'plain', '6.12.118-1').hash;
    expect(hashWith([])).toBe(plain);
    expect(hashWith([a])).not.toBe(plain);
    expect(hashWith([aAgain])).toBe(hashWith([a])); // the same diff from another file and format
    expect(hashWith([b])).not.toBe(hashWith([a]));
    expect(hashWith([a, b])).not.toBe(hashWith([b, a]));
    expect(new Set([hashWith([a]), hashWith([a, b]), hashWith([b])]).size).toBe(3);
    // each variant keeps its own entry with the same patch
    expect(kernelPlan(series, 'debug', '6.12.118-1', readExtraPatches([a])).hash).not.toBe(hashWith([a]));
  });

  it('refuses a missing, diff-less or directory path in one line naming the option', () => {
    const none = write('notes.txt', 'nothing to apply\n');
    for (const [p, why] of [[join(dir, 'nope.patch'), 'file not found'], [none, 'no diff in it'], [dir, 'not a file']] as const) {
      expect(() => readExtraPatches([p])).toThrow(EnvironmentError);
      expect(() => readExtraPatches([p])).toThrow(new RegExp(`^--extra-patch ${p}: ${why}`));
    }
  });

  it.skipIf(!hasPatch())('applies after the series in order, and names the patch whose hunks do not apply', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.c'), 'ctx\nold\n');
    const first = write('1.patch', diff('a.c', 'old', 'new'));
    const second = write('2.patch', diff('a.c', 'new', 'newest'));
    const said: string[] = [];
    await applyExtraPatches(tree, readExtraPatches([first, second]), (l) => said.push(l));
    expect(readFileSync(join(tree, 'a.c'), 'utf8')).toBe('ctx\nnewest\n');
    expect(said).toEqual([`applying --extra-patch ${first}`, `applying --extra-patch ${second}`]);
    // the first one again: its context is gone
    await expect(applyExtraPatches(tree, readExtraPatches([first]), () => {})).rejects.toThrow(new RegExp(`^--extra-patch ${first}: hunks a.c#1 did not apply on top of the series$`));
  });

  it('on the command line: a bad path is one line naming the option, exit 2, before any work', async () => {
    const r = await cli(['kernel', 'build', '--extra-patch', join(dir, 'missing.patch')], { URINGSPEC_CACHE: join(dir, 'empty-cache') });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`uringspec: --extra-patch ${join(dir, 'missing.patch')}: file not found\n`);
    expect(existsSync(join(dir, 'empty-cache', 'kernel'))).toBe(false);
  });

  it.skipIf(!existsSync(linuxSource.tarball))('on the command line: the patches given reach the build, which finds the entry keyed with them', async () => {
    const a = write('cli-a.patch', mail(diff('io_uring/nop.c', 'old', 'new')));
    const b = write('cli-b.patch', diff('io_uring/nop.c', 'new', 'newer'));
    const hash = kernelPlan(await readSeries(DEFAULT_SERIES), 'plain', linuxSourceVersion(), readExtraPatches([a, b])).hash;
    const cache = join(dir, 'cache');
    const entry = join(cache, 'kernel', hash);
    mkdirSync(entry, { recursive: true });
    // a cache entry stands for a build: the command must find it and build nothing
    for (const f of ['bzImage', 'gen_init_cpio']) writeFileSync(join(entry, f), 'stand-in');
    const r = await cli(['kernel', 'build', '--extra-patch', a, '--extra-patch', b], { URINGSPEC_CACHE: cache });
    expect(r.stdout, r.stderr).toBe(`${join(entry, 'bzImage')}\n`);
    expect(r.stderr).toContain(`cached kernel ${hash}`);
    expect(r.code).toBe(0);
  }, 60_000);
});

function hasPatch(): boolean {
  try {
    execFileSync('patch', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
