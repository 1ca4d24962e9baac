import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { guidedChains, splice } from './guided.js';

const spec = loadSpec();
const rfc = spec.profiles['rfc-v1-6.12']!;
const base = { description: 'd', rules: ['chain.cqe.match-by-user-data'], provenance: { kind: 'hand-written' as const } };
const seed: Case = { ...base, ring: { entries: 4 }, fixtures: { p0: { kind: 'pipe' } }, sqes: [{ op: 'NOP', flags: ['IOSQE_IO_LINK'] }, { op: 'NOP' }] };
const fresh: Case = { ...base, ring: { entries: 8 }, fixtures: { f0: { kind: 'file' } }, sqes: [{ op: 'NOP' }, { op: 'NOP' }, { op: 'NOP' }, { op: 'NOP' }] };

describe('growing chains from seeds', () => {
  it("keeps the seed's prefix, ring and fixtures, and fits the seed's ring", () => {
    const c = splice(seed, fresh, 1)!;
    expect(c.ring).toEqual(seed.ring);
    expect(c.sqes).toHaveLength(4);
    expect(c.sqes[0]).toBe(seed.sqes[0]);
    expect(c.fixtures).toEqual({ p0: { kind: 'pipe' }, f0: { kind: 'file' } });
  });

  it('refuses a fixture name the two chains mean differently', () => {
    expect(splice(seed, { ...fresh, fixtures: { p0: { kind: 'file' } } }, 1)).toBeUndefined();
  });

  it("grows chains from a seed's prefix, each one predictable", () => {
    const grownFrom = fc.sample(guidedChains(spec, rfc, [seed], { spawn: true }), { seed: 3, numRuns: 200 });
    const grown = grownFrom.filter((c) => c.description.endsWith('(grown from a seed)'));
    expect(grown.length).toBeGreaterThan(20);
    expect(grown.length).toBeLessThan(200);
    for (const c of grown) expect(c.ring).toEqual(seed.ring);
  });
});

describe('seed files', () => {
  it('are case files that load back as the chains they were, with where they came from', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeSeeds } = await import('./seedFiles.js');
    const { loadCases } = await import('../corpus.js');
    const dir = mkdtempSync(join(tmpdir(), 'uringspec-seeds-'));
    try {
      const files = writeSeeds(dir, [{ id: 'fuzz/4/2', c: seed, fresh: 17 }], 4);
      expect(files).toEqual([join(dir, 'seed-4-0.yaml')]);
      const [back] = loadCases(spec, [dir]);
      expect(back!.c.sqes).toEqual(seed.sqes);
      expect(back!.c.provenance).toMatchObject({ kind: 'generated', seed: 4 });
      expect(back!.c.provenance.note).toMatch(/fuzz\/4\/2 .* moved 17 counter words first/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
