import fc from 'fast-check';
import { fixtureRefOf } from '../spec/case/fixtureRef.js';
import type { CaseSqe, FieldValue, Fixture, FixtureInstanceSpec, FixturesSpec, FixtureValueGen } from '../spec/types.js';

function paramArb(gens: FixtureValueGen[]): fc.Arbitrary<number | boolean | string> {
  return fc.oneof(...gens.map((g) => ({
    weight: g.weight ?? 1,
    arbitrary: 'const' in g ? fc.constant(g.const) : fc.integer({ min: g.range[0], max: g.range[1] }),
  })));
}

function instanceArb(inst: FixtureInstanceSpec): fc.Arbitrary<Fixture> {
  const params = Object.fromEntries(Object.entries(inst.params ?? {}).map(([name, gens]) => [name, paramArb(gens)]));
  return fc.record(params).map((p) => ({ kind: inst.kind, ...p }) as Fixture);
}

/**
 * The fixtures a generated case may refer to, from spec/fixtures.yaml `generate`: names are fixed by
 * role so that shrinking keeps references valid; chains that spawn get the exec fixtures too.
 */
export function fixtureSet(fx: FixturesSpec, opts: { exec?: boolean } = {}): fc.Arbitrary<Record<string, Fixture>> {
  const all = { ...fx.generate.fixtures, ...(opts.exec ? fx.generate.exec_fixtures : {}) };
  return fc.record(Object.fromEntries(Object.entries(all).map(([name, inst]) => [name, instanceArb(inst)])));
}

/** Whether a generated case keeps the fixtures none of its SQEs refers to (spec/fixtures.yaml `keep_unreferenced`). */
export function keepUnreferenced(fx: FixturesSpec): fc.Arbitrary<boolean> {
  const gens = fx.generate.keep_unreferenced ?? [{ const: true }];
  return fc.oneof(...gens.map((g) => ({ weight: g.weight ?? 1, arbitrary: fc.constant(g.const) })));
}

/** The fixtures of `all` that a field of some SQE refers to ({fd: name} or {path: name}). */
export function referencedFixtures(all: Record<string, Fixture>, sqes: CaseSqe[]): Record<string, Fixture> {
  const used = new Set(sqes.flatMap((s) => Object.values(s.fields ?? {}).flatMap((v) => (v === undefined ? [] : [fixtureRefOf(v)]))));
  return Object.fromEntries(Object.entries(all).filter(([name]) => used.has(name)));
}

/** The fixture refs a field ref kind may take, from spec/fixtures.yaml (chains that spawn have more). */
export function refsFor(fx: FixturesSpec, kind: string, exec: boolean): readonly FieldValue[] | undefined {
  return (exec ? fx.generate.exec_refs[kind] : undefined) ?? fx.generate.refs[kind];
}
