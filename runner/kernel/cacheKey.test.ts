import { describe, expect, it } from 'vitest';
import { cacheKey, type CacheKeyInput } from './cacheKey.js';

const base: CacheKeyInput = { sourceVersion: '6.12.117-1~deb12u1', patches: ['p1', 'p2'], fixups: ['f'], fragment: 'CONFIG_A=y\n', debug: false, recipe: 'r1' };

describe('cacheKey', () => {
  it('is a stable short hex digest', () => {
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(cacheKey({ ...base })).toBe(cacheKey(base));
  });

  it('changes with every input', () => {
    const variants: Partial<CacheKeyInput>[] = [
      { sourceVersion: '6.12.118-1' },
      { patches: ['p1', 'p2 changed'] },
      { patches: ['p2', 'p1'] },
      { fixups: [] },
      { fragment: 'CONFIG_A=n\n' },
      { debug: true },
      { recipe: 'r2' },
      { extra: '' },
      { extraPatches: ['p3'] },
    ];
    for (const v of variants) expect(cacheKey({ ...base, ...v })).not.toBe(cacheKey(base));
  });

  it('leaves keys without extra edits as they were before extra existed', () => {
    expect(cacheKey({ ...base, extra: undefined })).toBe(cacheKey(base));
    expect(cacheKey({ ...base, extraPatches: [] })).toBe(cacheKey(base));
  });

  it('does not confuse where one part ends and the next begins', () => {
    expect(cacheKey({ ...base, patches: ['ab', 'c'] })).not.toBe(cacheKey({ ...base, patches: ['a', 'bc'] }));
    // a patch of the series is not the same as the same text given as an extra patch
    expect(cacheKey({ ...base, patches: ['p1'], extraPatches: ['p2'] })).not.toBe(cacheKey(base));
  });
});
