import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { withLock } from './cacheLock.js';

describe('withLock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uringspec-lock-'));
  const lock = join(dir, 'k.lock');
  afterEach(() => rmSync(lock, { force: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the lock during fn and removes it after, also on failure', async () => {
    await withLock(lock, () => {}, async () => expect(existsSync(lock)).toBe(true));
    expect(existsSync(lock)).toBe(false);
    await expect(withLock(lock, () => {}, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('serialises two holders', async () => {
    const order: string[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 50));
      order.push(`${name}-`);
    };
    await Promise.all([withLock(lock, () => {}, slow('a')), withLock(lock, () => {}, slow('b'))]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-']);
  });

  it('takes over a lock left by a dead process', async () => {
    writeFileSync(lock, '999999999\n');
    let waited = false;
    expect(await withLock(lock, () => (waited = true), async () => 42)).toBe(42);
    expect(waited).toBe(false);
  });
});
