import { describe, expect, it } from 'vitest';
import { inShard, parseShard, selectShard, shardCampaign, shardOf } from './shard.js';

const ids = Array.from({ length: 200 }, (_, i) => `op${i % 7}/case-${i}`);

describe('shards', () => {
  it('parses i/N and refuses anything else with a line naming the option', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1/2/3', '-1/2']) expect(() => parseShard(bad)).toThrow(/--shard must be i\/N/);
  });

  it('puts every case in exactly one shard, spread over all of them', () => {
    const shards = [1, 2, 3, 4].map((index) => selectShard(ids, { index, count: 4 }, (x) => x));
    expect(shards.flat().sort()).toEqual([...ids].sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(20);
  });

  it('is stable: a case keeps its shard whatever other cases exist', () => {
    const before = ids.filter((id) => inShard(id, { index: 3, count: 5 }));
    const after = [...ids, 'new/one', 'new/two'].filter((id) => inShard(id, { index: 3, count: 5 }));
    expect(after.filter((id) => !id.startsWith('new/'))).toEqual(before);
    expect(shardOf('spawn/clone-basic', 5)).toBe(shardOf('spawn/clone-basic', 5));
  });

  it('splits a campaign into distinct seeds whose runs add up', () => {
    const parts = [1, 2, 3].map((index) => shardCampaign(42, 100, { index, count: 3 }));
    expect(parts.map((p) => p.runs)).toEqual([34, 33, 33]);
    expect(new Set(parts.map((p) => p.seed)).size).toBe(3);
    expect(shardCampaign(42, 100, { index: 1, count: 1 })).toEqual({ seed: 42, runs: 100 });
    expect(shardCampaign(42, 100, { index: 2, count: 3 })).toEqual(parts[1]);
  });
});
