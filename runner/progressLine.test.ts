import { describe, expect, it } from 'vitest';
import { duration, progressLine } from './progressLine.js';

describe('progressLine', () => {
  it('shows counts, percentage, rate and time left', () => {
    expect(progressLine({ done: 10, total: 40, elapsedMs: 5000, what: 'pass nop/basic' })).toBe('[10/40] 25% 2.0 cases/s, 15s left, pass nop/basic');
    expect(progressLine({ done: 300, total: 1000, elapsedMs: 10_000, unit: 'chains' })).toBe('[300/1000] 30% 30 chains/s, 23s left');
  });

  it('gives no estimate before anything finished', () => {
    expect(progressLine({ done: 0, total: 5, elapsedMs: 100 })).toBe('[0/5] 0%');
  });

  it('writes durations as a person reads them', () => {
    expect(duration(42)).toBe('42s');
    expect(duration(185)).toBe('3m05s');
    expect(duration(3720)).toBe('1h02m');
  });
});
