import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase } from '../spec/case/parseCase.js';
import { writeCase } from '../spec/case/writeCase.js';
import { linkedChain } from './linkedChain.js';

const spec = loadSpec();

describe.each([
  ['upstream-6.18', false],
  ['rfc-v1-6.12', true],
])('linkedChain on %s (spawn %s)', (name, spawn) => {
  const profile = spec.profiles[name]!;
  const arb = linkedChain(spec, profile, { spawn });

  it('gives the same chains for the same seed', () => {
    expect(fc.sample(arb, { seed: 42, numRuns: 30 })).toEqual(fc.sample(arb, { seed: 42, numRuns: 30 }));
  });

  it('gives only cases that validate against the spec and round-trip through YAML', () => {
    for (const c of fc.sample(arb, { seed: 7, numRuns: 200 })) {
      const again = parseCase('generated.yaml', writeCase(c), spec);
      expect(again).toEqual(c);
      for (const s of c.sqes) expect(profile.opcodes[s.op]).toBeDefined();
      expect(c.sqes.length).toBeLessThanOrEqual(c.ring.entries);
    }
  });

  it('covers every op the profile has, and the link flags', () => {
    const seen = new Set<string>();
    for (const c of fc.sample(arb, { seed: 3, numRuns: 400 })) for (const s of c.sqes) { seen.add(s.op); for (const f of s.flags ?? []) seen.add(f); }
    for (const op of Object.keys(profile.opcodes)) expect(seen.has(op), op).toBe(true);
    for (const f of ['IOSQE_IO_LINK', 'IOSQE_IO_HARDLINK', 'IOSQE_CQE_SKIP_SUCCESS', 'IOSQE_ASYNC', 'IOSQE_IO_DRAIN']) expect(seen.has(f), f).toBe(true);
  });

  it('shrinks to smaller chains', () => {
    const r = fc.check(fc.property(arb, (c) => c.sqes.length < 3), { seed: 1 });
    expect(r.failed).toBe(true);
    expect(r.counterexample![0].sqes.length).toBe(3);
  });
});
