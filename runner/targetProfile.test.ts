import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { notApplicable } from './selectCases.js';
import { contradiction } from './targetProfile.js';

const spec = loadSpec();
const rfc = spec.profiles['rfc-v1-6.12']!;
const upstream = spec.profiles['upstream-6.18']!;
const range = (n: number) => [...Array(n + 1).keys()];
const host618 = { kernel: '6.18.4', lastOp: 62, ops: range(62) };
const rfcKernel = { kernel: '6.12.9-rfc', lastOp: 59, ops: range(59) };

describe('a profile the host probe contradicts', () => {
  it('refuses the RFC profile on a 6.18 host, whose opcodes 58 and 59 are other ops', () => {
    expect(contradiction(rfc, host618)).toMatch(/last opcode is 59.*reports last opcode 62/);
  });

  it('accepts the RFC profile on the RFC kernel, and the upstream profile on it or a newer kernel', () => {
    expect(contradiction(rfc, rfcKernel)).toBeUndefined();
    expect(contradiction(upstream, host618)).toBeUndefined();
    expect(contradiction(upstream, { ...host618, lastOp: 64, ops: range(64) })).toBeUndefined();
  });

  it('refuses a host profile on an older kernel, or one whose probe lacks an op the profile uses', () => {
    expect(contradiction(upstream, rfcKernel)).toMatch(/last opcode is 62/);
    expect(contradiction(upstream, { ...host618, ops: range(62).filter((n) => n !== upstream.opcodes.READ) })).toMatch(/READ at opcode 22/);
  });
});

describe('vm-only cases on the host', () => {
  const vmOnly = { description: 'x', rules: [], provenance: { kind: 'hand-written' as const }, ring: { entries: 8 }, flags: ['vm-only' as const], sqes: [{ op: 'NOP' }] };
  it('never run on the host target, whatever the profile', () => {
    expect(notApplicable(vmOnly, rfc, 'host')).toMatch(/vm-only/);
    expect(notApplicable(vmOnly, upstream, 'host')).toMatch(/vm-only/);
    expect(notApplicable(vmOnly, rfc, 'qemu')).toBeUndefined();
    expect(notApplicable(vmOnly, rfc)).toBeUndefined();
  });
});
