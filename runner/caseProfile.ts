import type { Case, ProfileSpec, Spec } from '../spec/types.js';
import { EnvironmentError } from '../spec/load/inputError.js';
import { profileNamed } from './context.js';
import { notApplicable } from './selectCases.js';

/**
 * The profile to predict or render a case for: the one named, which must suit the case (one line
 * otherwise), or else the first profile the case applies to, the host's profiles first (a spawn case
 * gets the QEMU profile that has the spawn ops).
 */
export function profileForCase(spec: Spec, file: string, c: Case, named: string | undefined): ProfileSpec {
  if (named !== undefined) {
    const p = profileNamed(spec, named);
    const why = notApplicable(c, p);
    if (why) throw new EnvironmentError(`${file}: not for --profile ${p.name}: ${why}`);
    return p;
  }
  const all = Object.values(spec.profiles).sort((a, b) => Number(b.target === 'host') - Number(a.target === 'host'));
  const p = all.find((x) => !notApplicable(c, x));
  if (!p) throw new EnvironmentError(`${file}: no profile of the spec suits it (${all.map((x) => `${x.name}: ${notApplicable(c, x)}`).join('; ')})`);
  return p;
}
