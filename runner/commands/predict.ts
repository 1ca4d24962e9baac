import { readCase } from '../../spec/case/parseCase.js';
import { predictWith } from '../../generators/oracle/predict.js';
import { theSpec } from '../context.js';
import { profileForCase } from '../caseProfile.js';

export async function predictCommand(file: string, o: { profile?: string }): Promise<void> {
  const spec = theSpec();
  const c = readCase(file, spec);
  const profile = profileForCase(spec, file, c, o.profile);
  delete c.expect;
  const intended = predictWith(spec, profile, c, false);
  const observed = predictWith(spec, profile, c, true);
  const out = { profile: profile.name, expect: intended.expect, ...(observed.unpredictable ? { known_divergence: { ids: observed.divergences, unpredictable: true } } : JSON.stringify(observed.expect) !== JSON.stringify(intended.expect) ? { known_divergence: { ids: observed.divergences, expect: observed.expect } } : {}) };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
