import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase } from '../spec/case/parseCase.js';
import { writeCase } from '../spec/case/writeCase.js';
import { linkedChain } from './linkedChain.js';
import { predictWith } from './oracle/predict.js';

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

  it('gives no chain whose outcome is a race, by the intended rules or by what the profile\'s tree does', () => {
    for (const c of fc.sample(arb, { seed: 66, numRuns: 300 })) {
      expect(predictWith(spec, profile, c, false).undetermined).toBe(false);
      expect(predictWith(spec, profile, c, true).undetermined).toBe(false);
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

describe('spawn chains take their members from the YAML', () => {
  const profile = spec.profiles['rfc-v1-6.12']!;
  const spawner = Object.values(spec.ops).find((op) => op.spawns)!;
  /** the ops between a spawning op and the first spawn_only op of each spawn segment */
  const middles = (s: typeof spec) => {
    const seen = new Set<string>();
    for (const c of fc.sample(linkedChain(s, profile, { spawn: true }), { seed: 5, numRuns: 300 })) {
      c.sqes.forEach((q, i) => {
        if (q.op !== spawner.short) return;
        for (const m of c.sqes.slice(i + 1)) {
          if (s.ops[m.op]?.spawn_only) break;
          seen.add(m.op);
        }
      });
    }
    return seen;
  };

  it('puts every op marked spawn_member, and only those, between the spawning op and the ops that end the chain', () => {
    const marked = Object.values(spec.ops).filter((op) => op.spawn_member && profile.opcodes[op.short] !== undefined).map((op) => op.short);
    expect(marked.length).toBeGreaterThan(1);
    expect([...middles(spec)].sort()).toEqual([...marked].sort());
  });

  it('drops an op from spawn chains when the YAML no longer marks it', () => {
    const dropped = Object.values(spec.ops).find((op) => op.spawn_member)!;
    const copy = { ...spec, ops: { ...spec.ops, [dropped.short]: { ...dropped, spawn_member: false } } };
    const seen = middles(copy);
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.has(dropped.short)).toBe(false);
  });
});
