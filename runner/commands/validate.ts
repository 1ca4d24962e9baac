import { isDeepStrictEqual } from 'node:util';
import { loadCases } from '../corpus.js';
import { theSpec } from '../context.js';
import { notApplicable } from '../selectCases.js';
import { predict } from '../../generators/oracle/predict.js';
import { InputError } from '../../spec/load/inputError.js';

/** Checks the spec and the cases; a hand-written expect must agree with the oracle on every profile it runs on. */
export async function validateCommand(files: string[]): Promise<void> {
  const spec = theSpec();
  const cases = loadCases(spec, files);
  let predictions = 0;
  for (const { file, c } of cases) {
    for (const profile of Object.values(spec.profiles)) {
      if (notApplicable(c, profile)) continue;
      let got;
      try {
        got = predict(spec, profile, c);
      } catch (e) {
        throw new InputError(file, 1, 1, 'sqes', `the oracle cannot evaluate this case on ${profile.name}: ${(e as Error).message}`);
      }
      predictions++;
      if (c.expect && c.provenance.kind === 'hand-written' && !isDeepStrictEqual(stripBecause(got), stripBecause(c.expect))) {
        throw new InputError(file, 1, 1, 'expect', `the hand-written expectation disagrees with the oracle on ${profile.name}: oracle says ${JSON.stringify(stripBecause(got))}`);
      }
    }
  }
  process.stdout.write(`spec: ${Object.keys(spec.ops).length} ops, ${spec.rules.size} rules, ${Object.keys(spec.profiles).length} profiles; ${cases.length} cases valid (${predictions} predictions)\n`);
}

/** What a hand-written expect asserts: the CQEs, counts, order and tasks; `because`, `settle` and the flags (always 0 for these ops) are the oracle's. */
function stripBecause(e: object): object {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === 'because' || k === 'settle' || k === 'flags' ? undefined : v)));
}
