import { describe, expect, it } from 'vitest';
import { cInteger } from './cInteger.js';

const u32 = { type: '__u32', bits: 32, signed: false };
const s32 = { type: '__s32', bits: 32, signed: true };
const u64 = { type: '__u64', bits: 64, signed: false };

describe('cInteger', () => {
  it('writes in-range values plainly, with U/ULL past INT_MAX', () => {
    expect(cInteger(4, u32)).toBe('4');
    expect(cInteger(-100, s32)).toBe('-100');
    expect(cInteger(4294967295, u32)).toBe('4294967295U');
    expect(cInteger(2 ** 40, u64)).toBe('1099511627776ULL');
  });

  it('casts values that only fit by wrapping', () => {
    expect(cInteger(-5, u32)).toBe('(__u32)-5');
    expect(cInteger(4294967295, s32)).toBe('(__s32)4294967295U');
    expect(cInteger(-1, u64)).toBe('(__u64)-1');
  });

  it('rejects values wider than the target', () => {
    expect(() => cInteger(65536, { type: '__u16', bits: 16, signed: false })).toThrow('does not fit in 16 bits');
    expect(() => cInteger(0.5, u32)).toThrow('not an exact integer');
  });
});
