import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ESTIMATED_OBJECTS, expectedObjects } from './objectCount.js';

describe('expectedObjects', () => {
  let cache: string;
  const entry = (hash: string, meta: object, mtime: number) => {
    mkdirSync(join(cache, 'kernel', hash), { recursive: true });
    const f = join(cache, 'kernel', hash, 'meta.json');
    writeFileSync(f, JSON.stringify(meta));
    utimesSync(f, mtime, mtime);
  };
  beforeEach(() => (cache = mkdtempSync(join(tmpdir(), 'uringspec-objs-'))));
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('falls back to the estimate with an empty cache or entries without a count', () => {
    expect(expectedObjects(cache, 'coverage')).toEqual({ count: ESTIMATED_OBJECTS.coverage, from: 'an estimate' });
    entry('old', { debug: false }, 1000);
    expect(expectedObjects(cache, 'plain').from).toBe('an estimate');
  });

  it('takes the newest build of the same variant, else the newest of any', () => {
    entry('a', { variant: 'plain', objects: 1100 }, 1000);
    entry('b', { variant: 'plain', objects: 1120 }, 2000);
    entry('c', { debug: true, objects: 1300 }, 3000);
    expect(expectedObjects(cache, 'plain')).toEqual({ count: 1120, from: 'the previous build' });
    expect(expectedObjects(cache, 'debug').count).toBe(1300);
    expect(expectedObjects(cache, 'coverage').count).toBe(1300);
  });
});
