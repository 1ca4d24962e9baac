import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case } from '../../spec/types.js';
import { writeCase } from '../../spec/case/writeCase.js';

/**
 * Writes a guided campaign's seeds as case files, <dir>/seed-<campaign seed>-<n>.yaml, each saying
 * which program it was and how many counter words it reached first; `fuzz --grow-from <dir>` grows
 * chains from them. Returns the files.
 */
export function writeSeeds(dir: string, seeds: { id: string; c: Case; fresh: number }[], campaignSeed: number): string[] {
  mkdirSync(dir, { recursive: true });
  return seeds.map((s, n) => {
    const file = join(dir, `seed-${campaignSeed}-${n}.yaml`);
    const note = `${s.id} of uringspec coverage --fuzz-time (seed ${campaignSeed}) moved ${s.fresh} counter words first`;
    writeFileSync(file, writeCase({ ...s.c, provenance: { kind: 'generated', generated: true, seed: campaignSeed, note } }));
    return file;
  });
}
