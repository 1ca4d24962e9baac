import fc from 'fast-check';
import type { FieldSpec, FieldValue, FieldValueGen, FixturesSpec } from '../spec/types.js';
import { refsFor } from './fixtureSet.js';

const timespec = fc.oneof(
  { weight: 6, arbitrary: fc.record({ sec: fc.constant(0), nsec: fc.integer({ min: 1, max: 30 }).map((ms) => ms * 1_000_000) }) },
  { weight: 1, arbitrary: fc.constant({ sec: 0, nsec: 0 }) },
  { weight: 1, arbitrary: fc.constant({ sec: -1, nsec: 0 }) },
).map((ts) => ({ timespec: ts }) as FieldValue);

const words = fc.array(fc.constantFrom('a', 'uringspec', 'x=1', '--flag', ''), { maxLength: 3 });

function refArb(fx: FixturesSpec, kind: string, exec: boolean): fc.Arbitrary<FieldValue> {
  switch (kind) {
    case 'timespec': return timespec;
    case 'argv': return words.map((w) => ({ argv: ['helper', ...w] }));
    case 'envp': return words.map((w) => ({ envp: w.filter((x) => x.includes('=')) }));
    case 'buf': return fc.constant({ buf: 1 });
    // segment sizes; sqeFor gives it one segment per len
    case 'iovec': return fc.array(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 64 }) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: 8, maxLength: 8 }).map((iov) => ({ iov }));
    default: {
      const refs = refsFor(fx, kind, exec);
      if (!refs) throw new Error(`no fixtures for ref kind "${kind}" in spec/fixtures.yaml`);
      return fc.constantFrom(...refs);
    }
  }
}

function genArb(fx: FixturesSpec, g: FieldValueGen, exec: boolean): fc.Arbitrary<FieldValue> {
  if ('const' in g) return fc.constant(g.const);
  if ('range' in g) return fc.integer({ min: g.range[0], max: g.range[1] });
  return refArb(fx, g.ref, exec);
}

/** A value for one SQE field, from the generators its spec lists (weights honoured). */
export function fieldValue(fx: FixturesSpec, field: FieldSpec, exec: boolean): fc.Arbitrary<FieldValue> {
  const gens = field.values ?? [{ const: 0 }];
  return fc.oneof(...gens.map((g) => ({ weight: (g as { weight?: number }).weight ?? 1, arbitrary: genArb(fx, g, exec) })));
}
