import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enforceCacheCap } from './enforceCap.js';
import { formatSize, parseSize } from './parseSize.js';
import { planEviction, type CacheEntry } from './planEviction.js';
import { scanCache } from './scanCache.js';

const K = 1024;
const entry = (label: string, tier: CacheEntry['tier'], bytes: number, lastUsedMs: number, isProtected = false): CacheEntry =>
  ({ label, tier, bytes, lastUsedMs, paths: [label], ...(isProtected ? { protected: true } : {}) });

describe('sizes', () => {
  it('reads 300M, 2G, 512k, 1.5G and bytes, and refuses anything else', () => {
    expect(parseSize('300M')).toBe(300 * K * K);
    expect(parseSize('2G')).toBe(2 * K ** 3);
    expect(parseSize('512k')).toBe(512 * K);
    expect(parseSize('1.5GiB')).toBe(1.5 * K ** 3);
    expect(parseSize('4096')).toBe(4096);
    expect(() => parseSize('lots')).toThrow(/\$URINGSPEC_CACHE_MAX must be a size such as 300M/);
    expect(formatSize(300 * K * K)).toBe('300M');
  });
});

describe('planEviction', () => {
  const entries = [
    entry('bin/old', 'bin', 40, 1), entry('bin/new', 'bin', 40, 9), entry('bin/mid', 'bin', 40, 5),
    entry('kernel/a', 'kernel', 100, 0), entry('kernel/used', 'kernel', 100, 0, true), entry('build-x', 'scratch', 30, 10),
  ];

  it('evicts nothing under the cap', () => {
    expect(planEviction(entries, 1000)).toEqual([]);
  });

  it('evicts scratch first, then bins least recently used first, until under the cap', () => {
    expect(planEviction(entries, 300).map((e) => e.label)).toEqual(['build-x', 'bin/old']);
  });

  it('does not count a build in progress, however big, toward the cap', () => {
    expect(planEviction([...entries, entry('build-live', 'scratch', 10_000, 0, true)], 400)).toEqual([]);
  });

  it('evicts kernels last and never a protected one', () => {
    expect(planEviction(entries, 0).map((e) => e.label)).toEqual(['build-x', 'bin/old', 'bin/mid', 'bin/new', 'kernel/a']);
  });
});

describe('a cache directory', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'uringspec-cache-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (rel: string, bytes: number, ageSec: number) => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, Buffer.alloc(bytes));
    const t = new Date(Date.now() - ageSec * 1000);
    utimesSync(p, t, t);
  };

  it('is scanned into binaries (with their source), kernels and scratch, the newest kernel kept', () => {
    file('bin/aaa', 100, 50); file('bin/aaa.c', 10, 50); file('bin/bbb', 100, 10);
    file('kernel/k1/bzImage', 1000, 500); file('kernel/k2/bzImage', 1000, 100);
    file('build-k3/linux/Makefile', 50, 1000);
    const entries = scanCache(dir);
    const by = new Map(entries.map((e) => [e.label, e]));
    expect(by.get('bin/aaa')).toMatchObject({ tier: 'bin', bytes: 110 });
    expect(by.get('kernel/k1')).toMatchObject({ tier: 'kernel', bytes: 1000 });
    expect(by.get('kernel/k1')!.protected).toBeUndefined();
    expect(by.get('kernel/k2')!.protected).toBe(true);
    expect(by.get('build-k3')).toMatchObject({ tier: 'scratch', bytes: 50 });
  });

  it('keeps a build whose lock a live process holds, and the kernel a run used', () => {
    file('build-k3/x', 50, 1000);
    file('kernel/old/bzImage', 1000, 900); file('kernel/new/bzImage', 1000, 10);
    writeFileSync(join(dir, 'kernel/k3.lock'), `${process.pid}\n`);
    const entries = scanCache(dir, { inUse: [join(dir, 'kernel/old/bzImage')] });
    expect(entries.filter((e) => e.protected).map((e) => e.label).sort()).toEqual(['build-k3', 'kernel/new', 'kernel/old']);
  });

  it('after a run, evicts the least recently used binaries down to the cap', () => {
    file('bin/old', 4000, 3000); file('bin/old.c', 100, 3000); file('bin/mid', 4000, 2000); file('bin/new', 4000, 1);
    file('kernel/k/bzImage', 4000, 5000);
    const said: string[] = [];
    enforceCacheCap(dir, { cap: 11_000, onEvict: (l) => said.push(l) });
    expect(existsSync(join(dir, 'bin/old'))).toBe(false);
    expect(existsSync(join(dir, 'bin/old.c'))).toBe(false);
    expect(existsSync(join(dir, 'bin/mid'))).toBe(true);
    expect(existsSync(join(dir, 'kernel/k/bzImage'))).toBe(true);
    expect(said[0]).toMatch(/evicted 1 least recently used entries/);
  });

  it('never evicts a binary made or used in the last minutes: a run beside this one may be about to start it', () => {
    file('bin/a', 4000, 60); file('bin/b', 4000, 120); file('bin/stale', 4000, 7200);
    enforceCacheCap(dir, { cap: 1000 });
    expect(existsSync(join(dir, 'bin/a'))).toBe(true);
    expect(existsSync(join(dir, 'bin/b'))).toBe(true);
    expect(existsSync(join(dir, 'bin/stale'))).toBe(false);
  });

  it('does not evict a kernel to make room that recent binaries take: they are not counted', () => {
    file('bin/a', 4000, 60); file('bin/b', 4000, 120);
    file('kernel/old/bzImage', 3000, 9000); file('kernel/new/bzImage', 3000, 10);
    enforceCacheCap(dir, { cap: 7000 });
    expect(existsSync(join(dir, 'kernel/old/bzImage'))).toBe(true);
    expect(existsSync(join(dir, 'bin/a'))).toBe(true);
    // once over the cap without them, the least recently used kernel goes
    enforceCacheCap(dir, { cap: 5000 });
    expect(existsSync(join(dir, 'kernel/old/bzImage'))).toBe(false);
    expect(existsSync(join(dir, 'kernel/new/bzImage'))).toBe(true);
  });
});
