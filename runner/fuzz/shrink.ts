import fc from 'fast-check';
import type { Case, Spec } from '../../spec/types.js';
import { prepareCase } from '../prepareCase.js';
import type { Verdict } from '../verdict.js';
import { isFailure, type FuzzTarget } from './target.js';
import { interrupted } from '../interrupt.js';
import { killedByInterrupt } from './campaign.js';

/** interrupted: Ctrl-C stopped the shrink, so c is the smallest failure found before it, not a minimal one */
export interface Shrunk { c: Case; path: string; verdict: Verdict; steps: number; interrupted?: boolean }

/**
 * Replays chain `path` of `seed` with fast-check and shrinks it against the same live target: each
 * step runs one smaller chain there; the smallest that still fails is the counterexample. Undefined
 * when the replay passes (a failure that does not repeat).
 */
export async function shrink(spec: Spec, target: FuzzTarget, arb: fc.Arbitrary<Case>, seed: number, path: string, onStep?: (line: string) => void): Promise<Shrunk | undefined> {
  let steps = 0;
  let last: { c: Case; v: Verdict } | undefined;
  const property = fc.asyncProperty(arb, async (c) => {
    // Ctrl-C: no more steps (each smaller candidate "passes"), the smallest failure so far is the result
    if (interrupted()) return true;
    const v = await target.run(prepareCase(spec, target.profile, `shrink-${seed}-${steps}`, c));
    if (killedByInterrupt(v)) return true;
    if (isFailure(v)) {
      last = { c, v };
      onStep?.(`shrink step ${steps}: ${c.sqes.length} SQEs, ${Object.keys(c.fixtures ?? {}).length} fixtures still fail (${v.kind})`);
      steps++;
      return false;
    }
    return true;
  });
  const r = await fc.check(property, { seed, path, numRuns: 1, endOnFailure: false });
  if (!r.failed || !last) return undefined;
  return { c: r.counterexample![0], path: r.counterexamplePath!, verdict: last.v, steps, ...(interrupted() ? { interrupted: true } : {}) };
}
