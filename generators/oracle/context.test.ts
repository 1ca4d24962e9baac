import { describe, expect, it } from 'vitest';
import type { Case } from '../../spec/types.js';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { evalContext } from './context.js';
import { vocabulary } from './vocabulary.js';
import { initWorld } from './world.js';

const spec = loadSpec();

/** The dotted leaf names of a context object, without the top-level constants. */
function leaves(o: Record<string, unknown>, constants: Map<string, number>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => {
    if (!prefix && constants.has(k)) return [];
    return v !== null && typeof v === 'object' ? leaves(v as Record<string, unknown>, constants, `${prefix}${k}.`) : [`${prefix}${k}`];
  });
}

describe('evalContext builds exactly the declared vocabulary', () => {
  const c: Case = {
    description: 'd', rules: [], provenance: { kind: 'hand-written' }, ring: { entries: 4 },
    fixtures: { p: { kind: 'pipe' } }, sqes: [{ op: 'READ', fields: { fd: { fd: 'p' }, addr: { buf: 8 }, len: 8 } }],
  };
  it.each(Object.values(spec.profiles).map((p) => [p.name, p] as const))('on %s', (_name, profile) => {
    const v = vocabulary(spec);
    const world = initWorld(c, spec.fixtures);
    const ctx = evalContext({
      ring: spec.ring, profile, op: spec.ops.READ, sqe: c.sqes[0]!, userData: 1, world, task: world.submitter,
      ringFacts: { flags: [], drain_disabled: false }, link: { in_link: false, has_next: false, prev_op: '' },
    });
    const declared = [...v.facts.keys(), ...[...v.features.get(profile.name)!].map((f) => `kernel.${f}`)].sort();
    expect(leaves(ctx, v.constants).sort()).toEqual(declared);
    for (const [name, value] of v.constants) expect(ctx[name]).toBe(value);
  });
});
