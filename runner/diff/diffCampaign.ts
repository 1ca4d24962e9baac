import fc from 'fast-check';
import type { Case, Spec } from '../../spec/types.js';
import { prepareCase } from '../prepareCase.js';
import { interrupted } from '../interrupt.js';
import type { FuzzTarget } from '../fuzz/target.js';
import { differences, fixedOnBoth, observed, type Observed } from './observed.js';

export interface Divergent {
  seed: number;
  path: string;
  c: Case;
  a: Observed;
  b: Observed;
  differences: string[];
}

/** Runs one chain on both targets at once and compares what they did. */
export async function compareOn(spec: Spec, a: FuzzTarget, b: FuzzTarget, c: Case, id: string): Promise<{ a: Observed; b: Observed; differences: string[] }> {
  const pa = prepareCase(spec, a.profile, id, c);
  const pb = prepareCase(spec, b.profile, id, c);
  const [va, vb] = await Promise.all([a.run(pa), b.run(pb)]);
  const fixed = fixedOnBoth(pa.c.expect, pb.c.expect);
  const oa = observed(va, fixed);
  const ob = observed(vb, fixed);
  return { a: oa, b: ob, differences: differences(oa, ob) };
}

/**
 * The same generated chains on two targets (chunk k of the campaign is fc.sample with seed + k, as in
 * fuzz); every chain whose observations differ is shrunk, against both live targets, to the smallest
 * chain that still differs.
 */
export async function diffCampaign(spec: Spec, a: FuzzTarget, b: FuzzTarget, arb: fc.Arbitrary<Case>, o: { seed: number; runs?: number; timeSec?: number; maxDiffs?: number; onProgress?: (l: string) => void }): Promise<{ ran: number; found: Divergent[] }> {
  const started = Date.now();
  const deadline = o.timeSec !== undefined ? started + o.timeSec * 1000 : Infinity;
  const runs = o.runs ?? Infinity;
  const seen: { seed: number; path: string; differences: string[] }[] = [];
  const kinds = new Set<string>();
  let ran = 0;
  let said = 0;
  const done = () => interrupted() || ran >= runs || Date.now() >= deadline || seen.length >= (o.maxDiffs ?? 5);
  for (let k = 0; !done(); k++) {
    const seed = o.seed + k;
    const cases = fc.sample(arb, { seed, numRuns: Math.min(500, runs - ran) });
    const window = Math.min(a.window, b.window);
    const inflight: { j: number; r: ReturnType<typeof compareOn> }[] = [];
    const judge = async () => {
      const { j, r } = inflight.shift()!;
      const d = await r;
      ran++;
      // one shrink per kind of difference (which parts differ), as fuzz does per kind of failure
      const kind = d.differences.map((x) => x.split(':')[0]!.replace(/\d+/g, 'N')).join(',');
      if (d.differences.length && !kinds.has(kind)) {
        kinds.add(kind);
        seen.push({ seed, path: String(j), differences: d.differences });
        o.onProgress?.(`diff: chain ${j} of seed ${seed} differs: ${d.differences[0]}`);
      }
      if (Date.now() - said > 1000) {
        said = Date.now();
        o.onProgress?.(`diff: ${ran} chains, ${(ran / ((Date.now() - started) / 1000)).toFixed(0)}/s, ${seen.length} differing`);
      }
    };
    for (let j = 0; j < cases.length && !done(); j++) {
      inflight.push({ j, r: compareOn(spec, a, b, cases[j]!, `diff-${seed}-${j}`) });
      if (inflight.length >= window) await judge();
    }
    while (inflight.length) await judge();
  }
  const found: Divergent[] = [];
  for (const s of seen) {
    if (interrupted()) break;
    let last: Divergent | undefined;
    let steps = 0;
    const property = fc.asyncProperty(arb, async (c) => {
      const d = await compareOn(spec, a, b, c, `diff-shrink-${steps}`);
      if (!d.differences.length) return true;
      last = { seed: s.seed, path: '', c, ...d };
      o.onProgress?.(`diff: shrink step ${steps++}: ${c.sqes.length} SQEs still differ`);
      return false;
    });
    const r = await fc.check(property, { seed: s.seed, path: s.path, numRuns: 1 });
    if (r.failed && last) found.push({ ...last, c: r.counterexample![0], path: r.counterexamplePath! });
  }
  return { ran, found };
}
