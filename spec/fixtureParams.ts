import type { Fixture, FixtureKindSpec, FixturesSpec } from './types.js';

/** The kind spec of a fixture; the case loader has checked that it exists. */
export function kindOf(fx: FixturesSpec, f: Fixture): FixtureKindSpec {
  const k = fx.kinds[f.kind];
  if (!k) throw new Error(`unknown fixture kind "${f.kind}"`);
  return k;
}

/** A param of a fixture, or the kind's default when the case leaves it out. */
export function param(fx: FixturesSpec, f: Fixture, name: string): number | boolean | string {
  const p = kindOf(fx, f).params[name];
  if (!p) throw new Error(`fixture kind ${f.kind} has no param "${name}"`);
  return f[name] ?? p.default;
}

export const intParam = (fx: FixturesSpec, f: Fixture, name: string): number => Number(param(fx, f, name));
export const boolParam = (fx: FixturesSpec, f: Fixture, name: string): boolean => param(fx, f, name) === true;

/** Whether a fixture has a param at all (kinds differ in what they take). */
export const hasParam = (fx: FixturesSpec, f: Fixture, name: string): boolean => kindOf(fx, f).params[name] !== undefined;
