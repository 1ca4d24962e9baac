import { describe, expect, it } from 'vitest';
import { manifestText } from './manifest.js';

describe('manifestText', () => {
  it('writes one line per case, numbered in order, timeouts rounded up', () => {
    expect(manifestText([{ id: 'clone/basic', timeoutSec: 10 }, { id: 'exec/path-search', timeoutSec: 2.5 }])).toBe(
      '0 clone/basic 10 0\n1 exec/path-search 3 1\n',
    );
  });

  it('is empty for no cases', () => {
    expect(manifestText([])).toBe('');
  });

  it('rejects ids the guest cannot read back and non-positive timeouts', () => {
    expect(() => manifestText([{ id: 'has space', timeoutSec: 1 }])).toThrow(/without spaces/);
    expect(() => manifestText([{ id: '', timeoutSec: 1 }])).toThrow(/case id/);
    expect(() => manifestText([{ id: 'ok', timeoutSec: 0 }])).toThrow(/timeoutSec must be positive/);
  });
});
