import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { linkedChain } from '../../generators/linkedChain.js';
import { predict } from '../../generators/oracle/predict.js';
import { writeCase } from '../../spec/case/writeCase.js';
import { EnvironmentError } from '../../spec/load/inputError.js';
import type { ProfileSpec, Spec } from '../../spec/types.js';
import { profileNamed, progress, theSpec } from '../context.js';
import { checkOutputDir } from '../options/checkOutput.js';

/** Whether a profile has an op that spawns a task (`spawns: true` in spec/ops/*.yaml). */
export function hasSpawnOps(spec: Spec, profile: ProfileSpec): boolean {
  return Object.keys(profile.opcodes).some((op) => spec.ops[op]?.spawns === true);
}

/** Writes N generated cases; case i is the i-th value fast-check draws from the seed, so seed + index replays it. */
export async function genCommand(o: { seed: number; count: number; out: string; profile: string; spawn?: boolean; force?: boolean }): Promise<void> {
  const spec = theSpec();
  const profile = profileNamed(spec, o.profile);
  if (o.spawn && !hasSpawnOps(spec, profile)) {
    const fits = Object.values(spec.profiles).filter((p) => hasSpawnOps(spec, p)).map((p) => p.name);
    throw new EnvironmentError(`--spawn: profile ${profile.name} has no op that spawns a task${fits.length ? ` (profiles that have one: ${fits.join(', ')})` : ''}`);
  }
  checkOutputDir('--out', o.out, { force: o.force ?? false });
  mkdirSync(o.out, { recursive: true });
  const cases = fc.sample(linkedChain(spec, profile, { spawn: o.spawn ?? false }), { seed: o.seed, numRuns: o.count });
  cases.forEach((c, i) => {
    c.provenance = { kind: 'generated', generated: true, seed: o.seed, path: String(i), note: `uringspec gen --seed ${o.seed} --count ${i + 1}${o.spawn ? ' --spawn' : ''} --profile ${profile.name}` };
    c.expect = predict(spec, profile, c);
    writeFileSync(join(o.out, `gen-${o.seed}-${String(i).padStart(4, '0')}.yaml`), writeCase(c));
  });
  progress(`wrote ${cases.length} cases to ${o.out}`);
}
