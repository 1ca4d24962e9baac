import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { linkedChain } from '../../generators/linkedChain.js';
import { predict } from '../../generators/oracle/predict.js';
import { writeCase } from '../../spec/case/writeCase.js';
import { profileNamed, progress, theSpec } from '../context.js';

/** Writes N generated cases; case i is the i-th value fast-check draws from the seed, so seed + index replays it. */
export async function genCommand(o: { seed: number; count: number; out: string; profile: string; spawn?: boolean }): Promise<void> {
  const spec = theSpec();
  const profile = profileNamed(spec, o.profile);
  mkdirSync(o.out, { recursive: true });
  const cases = fc.sample(linkedChain(spec, profile, { spawn: o.spawn ?? false }), { seed: o.seed, numRuns: o.count });
  cases.forEach((c, i) => {
    c.provenance = { kind: 'generated', generated: true, seed: o.seed, path: String(i), note: `uringspec gen --seed ${o.seed} --count ${i + 1}${o.spawn ? ' --spawn' : ''} --profile ${profile.name}` };
    c.expect = predict(spec, profile, c);
    writeFileSync(join(o.out, `gen-${o.seed}-${String(i).padStart(4, '0')}.yaml`), writeCase(c));
  });
  progress(`wrote ${cases.length} cases to ${o.out}`);
}
