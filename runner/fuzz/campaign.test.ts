import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../spec/load/loadSpec.js';
import { linkedChain } from '../../generators/linkedChain.js';
import type { PreparedCase } from '../prepareCase.js';
import type { Verdict } from '../verdict.js';
import { campaign, signatureOf } from './campaign.js';
import type { FuzzTarget } from './target.js';

const spec = loadSpec();
const host = spec.profiles['upstream-6.18']!;
const arb = linkedChain(spec, host);

/** A target that runs nothing: it fails every chain `fails` picks, and records what it saw. */
function fakeTarget(fails: (pc: PreparedCase) => boolean): FuzzTarget & { seen: string[] } {
  const seen: string[] = [];
  const verdict = (pc: PreparedCase, bad: boolean): Verdict => ({
    id: pc.id, kind: bad ? 'fail' : 'pass', reason: bad ? 'user_data 1 (NOP): expected 0, got 7' : '', rules: [],
    outcome: { status: 'exited', exitCode: bad ? 1 : 0, stdout: [], klog: [], findings: [], ms: 0 },
  });
  return {
    name: 'fake', profile: host, window: 4, seen,
    run: async (pc) => { seen.push(pc.id); return verdict(pc, fails(pc)); },
    standalone: async (pc) => verdict(pc, fails(pc)),
    stop: async () => {},
  };
}

describe('a campaign', () => {
  it('names each failure by the seed and path that replay it', async () => {
    const fails = (pc: PreparedCase) => pc.c.sqes.length === 3 && pc.c.sqes[0]!.op === 'NOP';
    const r = await campaign(spec, fakeTarget(fails), arb, { seed: 40, runs: 1000, chunk: 100, maxFailures: 1 });
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0]!;
    // what fast-check draws first for that seed and path is the chain that failed
    const replayed = fc.sample(arb, { seed: f.seed, numRuns: Number(f.path) + 1 })[Number(f.path)]!;
    expect(replayed).toEqual(f.c);
  });

  it('runs disjoint chunks on the shards of a campaign, and all of them together', async () => {
    const a = fakeTarget(() => false);
    const b = fakeTarget(() => false);
    await campaign(spec, a, arb, { seed: 1, runs: 60, chunk: 20, shard: { index: 0, count: 2 } });
    await campaign(spec, b, arb, { seed: 1, runs: 60, chunk: 20, shard: { index: 1, count: 2 } });
    const seedsOf = (t: { seen: string[] }) => new Set(t.seen.map((id) => id.split('-')[1]));
    expect([...seedsOf(a)].sort()).toEqual(['1', '3', '5']);
    expect([...seedsOf(b)].sort()).toEqual(['2', '4', '6']);
  });

  it('groups failures that differ only in numbers', () => {
    const v = (reason: string): Verdict => ({ id: 'x', kind: 'fail', reason, rules: [], outcome: { status: 'exited', exitCode: 1, stdout: [], klog: [], findings: [], ms: 0 } });
    expect(signatureOf(v('user_data 3 (NOP): expected 0, got 7'))).toBe(signatureOf(v('user_data 1 (NOP): expected 0, got 9')));
    expect(signatureOf(v('user_data 1 (NOP): expected 0, got 7'))).not.toBe(signatureOf(v('user_data 1 (READ): expected 0, got 7')));
  });
});
