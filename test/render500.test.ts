import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load/loadSpec.js';
import { linkedChain } from '../generators/linkedChain.js';
import { prepareCase } from '../runner/prepareCase.js';
import { compileMany } from '../runner/compile/compileMany.js';
import { cacheDir } from '../runner/context.js';

const spec = loadSpec();

describe('C rendering of generated cases', () => {
  it('renders 500 generated chains (host and spawn) to C that compiles with -Wall -Wextra -Werror', async () => {
    const host = spec.profiles['upstream-6.18']!;
    const rfc = spec.profiles['rfc-v1-6.12']!;
    const cases = [
      ...fc.sample(linkedChain(spec, host), { seed: 500, numRuns: 350 }).map((c, i) => prepareCase(spec, host, `gen/host-${i}`, c)),
      ...fc.sample(linkedChain(spec, rfc, { spawn: true }), { seed: 501, numRuns: 150 }).map((c, i) => prepareCase(spec, rfc, `gen/spawn-${i}`, c)),
    ];
    expect(cases).toHaveLength(500);
    const built = await compileMany(cases.map((c) => c.source), { cacheDir: cacheDir(), jobs: 2 });
    const broken = built.flatMap((b, i) => (b instanceof Error ? [`${cases[i]!.id}: ${b.message.split('\n').slice(0, 3).join(' | ')}`] : []));
    expect(broken).toEqual([]);
  }, 900_000);
});
