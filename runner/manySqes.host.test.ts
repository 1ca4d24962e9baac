import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { prepareCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// More than 64 SQEs in a case (the schema's old limit): every CQE is checked, the 100th too (planted: a wrong res for it fails).
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const FILE = 'many/hundred-nops.yaml';
const root = mkdtempSync(join(tmpdir(), 'uringspec-many-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const wrongLast = (e: Expectation): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === 100 ? { ...q, res: { eq: -1 } } : q)) });

describe('a case of 100 SQEs', { timeout: 120_000 }, () => {
  it('passes standalone and in the executor; a planted wrong res of the 100th fails both', async () => {
    const c = readCase(join(__dirname, '..', 'cases', FILE), spec);
    const s = { ...c, expect: predict(spec, profile, c) };
    expect(s.expect.submitted).toEqual([100]);
    const run = (e: Expectation) => runInTmp(renderCase(formOf({ ...s, expect: e }, { name: 'host/many', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);
    expect(run(s.expect).result.mismatches).toEqual([]);
    const bad = run(wrongLast(s.expect));
    expect(bad.code).toBe(1);
    expect(bad.result.mismatches.join('\n')).toMatch(/user_data 100/);
    const pc = prepareCase(spec, profile, FILE, c);
    const want = wrongLast(pc.form.want);
    const planted = { ...pc, id: `${pc.id}-planted`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-planted`, want } };
    const v = await runOnHostExecutor([pc, planted], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail']);
  });
});
