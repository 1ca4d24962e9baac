import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import type { Spec } from '../spec/types.js';
import { linkedChain } from './linkedChain.js';
import { referencedFixtures } from './fixtureSet.js';

const spec = loadSpec();
const profile = spec.profiles['rfc-v1-6.12']!;
const withKeep = (keep: boolean[]): Spec => ({
  ...spec, fixtures: { ...spec.fixtures, generate: { ...spec.fixtures.generate, keep_unreferenced: keep.map((k) => ({ const: k })) } },
});
const sample = (s: Spec) => fc.sample(linkedChain(s, profile, { spawn: true }), { seed: 3, numRuns: 150 });

describe('generated fixtures and keep_unreferenced (spec/fixtures.yaml)', () => {
  it('makes only the fixtures the SQEs refer to when the YAML says not to keep the others', () => {
    for (const c of sample(withKeep([false]))) {
      expect(Object.keys(c.fixtures ?? {})).toEqual(Object.keys(referencedFixtures(c.fixtures ?? {}, c.sqes)));
    }
  });

  it('keeps every fixture of the generated set when it says to keep them', () => {
    const all = [...Object.keys(spec.fixtures.generate.fixtures), ...Object.keys(spec.fixtures.generate.exec_fixtures)].sort();
    for (const c of sample(withKeep([true]))) expect(Object.keys(c.fixtures ?? {}).sort()).toEqual(all);
  });

  it('with the spec as it is, gives both kinds of case', () => {
    const cs = sample(spec);
    const pruned = cs.filter((c) => Object.keys(c.fixtures ?? {}).length === Object.keys(referencedFixtures(c.fixtures ?? {}, c.sqes)).length);
    expect(pruned.length).toBeGreaterThan(cs.length / 2);
    expect(pruned.length).toBeLessThan(cs.length);
  });

  it('finds fd and path references, and nothing else', () => {
    const fx = { a: { kind: 'pipe' }, b: { kind: 'file' }, c: { kind: 'dir' } };
    expect(Object.keys(referencedFixtures(fx, [{ op: 'READ', fields: { fd: { fd: 'a', end: 'w' } } }, { op: 'OPENAT', fields: { addr: { path: 'c' }, len: 3 } }]))).toEqual(['a', 'c']);
  });
});
