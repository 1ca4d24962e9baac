import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Case, Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase, readCase } from '../spec/case/parseCase.js';
import { freeUserData, userDataList } from '../spec/case/userData.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { prepareCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// A case's own user_data (0, past 32 bits, up to 2^53 - 1) goes into the SQE and keys the expectations; what a
// kernel that truncated it to 32 bits would post (planted: the CQEs expected under the low 32 bits) fails.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const FILE = 'chain/chosen-user-data.yaml';
const BIG = Number.MAX_SAFE_INTEGER;
const LOW32 = 2 ** 32 - 1;
const root = mkdtempSync(join(tmpdir(), 'uringspec-ud-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Sample = Case & { expect: Expectation };
const load = (): Sample => {
  const c = readCase(join(__dirname, '..', 'cases', FILE), spec);
  return { ...c, expect: predict(spec, profile, c) };
};
/** The expectation with the CQE of user_data `from` expected under `to` instead. */
const moved = (e: Expectation, from: number, to: number): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === from ? { ...q, user_data: to } : q)) });

function run(c: Sample) {
  return runInTmp(renderCase(formOf(c, { name: 'host/ud', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);
}

describe('user_data a case chooses', { timeout: 120_000 }, () => {
  it('keys the prediction: the cancel by the full value finds the READ, the one by its low 32 bits does not', () => {
    const c = load();
    expect(userDataList(c)).toEqual([0, BIG, 7, 2 ** 32, 5]);
    const res = Object.fromEntries(c.expect.cqes.map((q) => [q.user_data, q.res]));
    expect(res).toEqual({ 0: { eq: 0 }, [BIG]: { eq: -125 }, 7: { eq: -2 }, [2 ** 32]: { eq: 0 }, 5: { eq: 0 } });
    // the request after a chain takes a user_data no SQE has
    expect(freeUserData({ sqes: [{ op: 'NOP', user_data: 2 }, { op: 'NOP' }] })).toBe(3);
    expect(freeUserData({ sqes: [{ op: 'NOP', user_data: 3 }, { op: 'NOP' }] })).toBe(4);
  });

  it('passes standalone; a planted truncation to 32 bits fails with the user_data named', () => {
    const c = load();
    expect(run(c).result.mismatches).toEqual([]);
    // the READ's CQE expected under the low 32 bits of its user_data
    const truncated = run({ ...c, expect: moved(c.expect, BIG, LOW32) });
    expect(truncated.code).toBe(1);
    expect(truncated.result.mismatches.join('\n')).toMatch(new RegExp(`user_data ${BIG}`));
  });

  it('the executor checks the same', async () => {
    const pc = prepareCase(spec, profile, FILE, readCase(join(__dirname, '..', 'cases', FILE), spec));
    const want = moved(pc.form.want, BIG, 2 ** 32 + 99);
    const bad = { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-planted`, want } };
    const v = await runOnHostExecutor([pc, bad], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail']);
    expect(v[1]!.reason).toMatch(new RegExp(`user_data ${BIG}`));
  });

  it('is refused when two SQEs share one, at the SQE', () => {
    const yaml = 'description: x\nrules: [chain.cqe.match-by-user-data]\nprovenance: { kind: hand-written }\nring: { entries: 4 }\nsqes:\n  - { op: NOP }\n  - { op: NOP, user_data: 1 }\n';
    expect(() => parseCase('dup.yaml', yaml, spec)).toThrow(/dup\.yaml:7:\d+: .*user_data 1 is also the user_data of SQE 1/);
  });
});
