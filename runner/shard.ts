import { createHash } from 'node:crypto';
import { EnvironmentError } from '../spec/load/inputError.js';

/** Shard i of n, 1-based as CI matrices count (`--shard 2/4`). */
export interface Shard { index: number; count: number }

/** Parses `i/N` (1 <= i <= N); a bad value is a one-line usage error naming the option. */
export function parseShard(text: string, option = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new EnvironmentError(`${option} must be i/N with 1 <= i <= N, got "${text}"`);
  return { index, count };
}

/** A case's shard depends on its id alone: adding or removing other cases never moves it. */
export function shardOf(id: string, count: number): number {
  return (createHash('sha256').update(id).digest().readUInt32BE(0) % count) + 1;
}

export function inShard(id: string, s: Shard): boolean {
  return shardOf(id, s.count) === s.index;
}

/** The ids of shard s, in their given order. */
export function selectShard<T>(items: T[], s: Shard | undefined, idOf: (t: T) => string): T[] {
  return s ? items.filter((t) => inShard(idOf(t), s)) : items;
}

/**
 * The part of a seeded campaign a shard runs: its own seed (distinct per shard, the same on every
 * machine) and its share of the runs, so that N shards together run `runs` chains with no overlap.
 */
export function shardCampaign(seed: number, runs: number, s: Shard): { seed: number; runs: number } {
  const share = Math.floor(runs / s.count) + (s.index <= runs % s.count ? 1 : 0);
  if (s.count === 1) return { seed, runs };
  const derived = createHash('sha256').update(`${seed}/${s.index}/${s.count}`).digest().readInt32BE(0);
  return { seed: derived, runs: share };
}
