import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Case, Expectation, Spec } from '../../spec/types.js';
import { CASES_DIR, loadCases } from '../corpus.js';
import { progress, theSpec } from '../context.js';
import { notApplicable } from '../selectCases.js';
import { predict } from '../../generators/oracle/predict.js';
import { vocabulary } from '../../generators/oracle/vocabulary.js';
import { InputError } from '../../spec/load/inputError.js';
import { SPEC_DIR } from '../../spec/load/loadSpec.js';
import { checkExprNames } from '../../spec/load/checkNames.js';
import { caseRingProblem, inexactNumber } from '../../spec/load/caseRing.js';
import { readYaml } from '../../spec/load/yamlSource.js';

/** The case files under the given files and directories (default: the whole corpus). */
function caseFiles(paths: string[]): string[] {
  return (paths.length ? paths : [CASES_DIR]).flatMap((p) => {
    let st;
    try { st = statSync(p); } catch { throw new InputError(p, 1, 1, '(file)', 'no such case file or directory'); }
    if (!st.isDirectory()) return [p];
    return (readdirSync(p, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(p, f));
  });
}

/** The first problem of one case file, or undefined; counts the predictions it made. */
function checkCase(spec: Spec, file: string, tally: { predictions: number }): InputError | undefined {
  let c: Case;
  try {
    c = loadCases(spec, [file])[0]!.c;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  const src = readYaml(file);
  const early = inexactNumber(src, c) ?? caseRingProblem(src, c, spec.ring);
  if (early) return early;
  for (const profile of Object.values(spec.profiles)) {
    if (notApplicable(c, profile)) continue;
    let got;
    try {
      got = predict(spec, profile, c);
    } catch (e) {
      return new InputError(file, 1, 1, 'sqes', `the oracle cannot evaluate this case on ${profile.name}: ${(e as Error).message}`);
    }
    tally.predictions++;
    const full = caseRingProblem(src, c, spec.ring, got.submitted);
    if (full) return full;
    if (c.expect && c.provenance.kind === 'hand-written' && !isDeepStrictEqual(stripBecause(stated(spec, c, got)), stripBecause(c.expect))) {
      return src.error(['expect'], `the hand-written expectation disagrees with the oracle on ${profile.name}: oracle says ${JSON.stringify(stripBecause(stated(spec, c, got)))}`);
    }
  }
  return undefined;
}

/**
 * Checks the spec (every name of every expression resolves) and the cases; a hand-written expect must
 * agree with the oracle on every profile it runs on. Every problem is one line; all are reported, then exit 2.
 */
export async function validateCommand(files: string[]): Promise<void> {
  const spec = theSpec();
  const problems: InputError[] = checkExprNames(SPEC_DIR, vocabulary(spec));
  const list = caseFiles(files);
  const tally = { predictions: 0 };
  for (const file of list) {
    const p = checkCase(spec, file, tally);
    if (p) problems.push(p);
  }
  const last = problems.pop();
  if (last) {
    for (const p of problems) progress(p.message);
    throw last;
  }
  process.stdout.write(`spec: ${Object.keys(spec.ops).length} ops, ${spec.rules.size} rules, ${Object.keys(spec.profiles).length} profiles; ${list.length} cases valid (${tally.predictions} predictions)\n`);
}

/** What a hand-written expect asserts: the CQEs, counts, order and tasks; `because`, `settle` and the flags (always 0 for these ops) are the oracle's. */
/**
 * The oracle's expectation as far as a hand-written one states it: a case that spawns states its submitter;
 * one that does not may leave out the state after the chain, and any case its files (the runner checks the
 * oracle's either way).
 */
function stated(spec: Spec, c: Case, got: Expectation): Expectation {
  const { submitter, files, streams, ...rest } = got;
  const withSubmitter = c.expect?.submitter || c.sqes.some((q) => spec.ops[q.op]?.spawns);
  return { ...rest, ...(withSubmitter && submitter ? { submitter } : {}), ...(c.expect?.files && files ? { files } : {}), ...(c.expect?.streams && streams ? { streams } : {}) };
}

function stripBecause(e: object): object {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === 'because' || k === 'settle' || k === 'flags' ? undefined : v)));
}
