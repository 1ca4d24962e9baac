import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Expectation } from '../spec/types.js';
import { loadSpec } from '../spec/load/loadSpec.js';
import { parseCase, readCase } from '../spec/case/parseCase.js';
import { predict } from '../generators/oracle/predict.js';
import { renderCase } from '../c-templates/renderCase.js';
import { formOf } from '../c-templates/testing/formOf.js';
import { runInTmp } from '../c-templates/testing/buildC.js';
import { ringSpec } from '../c-templates/testing/ringSpec.js';
import { encodeExecForm } from '../c-templates/encodeExecForm.js';
import { prepareCase } from './prepareCase.js';
import { runOnHostExecutor } from './executor/runOnHost.js';
import { cacheDir } from './context.js';

// ring.cq_entries (IORING_SETUP_CQSIZE): 8 CQEs into a CQ ring of 4 before any is taken; the overflowed ones arrive
// (chain.cq.overflow-kept). Planted: a wrong res for an overflowed CQE, and one dropped (never posted), fail.
const spec = loadSpec();
const profile = spec.profiles['upstream-6.18']!;
const FILE = 'cq-overflow/overflowed-cqes-all-arrive.yaml';
const root = mkdtempSync(join(tmpdir(), 'uringspec-cqov-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const wrong8 = (e: Expectation): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === 8 ? { ...q, res: { eq: -1 } } : q)) });
const dropped8 = (e: Expectation): Expectation => ({ ...e, cqes: e.cqes.map((q) => (q.user_data === 8 ? { user_data: 8, res: { absent: true }, because: [] } : q)) });

describe('a CQ ring of the case\'s own size, overflowed', { timeout: 120_000 }, () => {
  it('sets IORING_SETUP_CQSIZE with cq_entries, standalone and in the executor\'s encoding', () => {
    const c = readCase(join(__dirname, '..', 'cases', FILE), spec);
    const form = formOf({ ...c, expect: predict(spec, profile, c) }, { name: 'host/cqov', profile });
    expect(renderCase(form, { ring: ringSpec, profile, ops: spec.ops })).toMatch(/t_ring_cq_entries = 4;/);
    expect(encodeExecForm(form)).toMatch(/^N 4$/m);
  });

  it('passes both ways; a planted wrong res or a dropped overflowed CQE fails both', async () => {
    const c = readCase(join(__dirname, '..', 'cases', FILE), spec);
    const s = { ...c, expect: predict(spec, profile, c) };
    const run = (e: Expectation) => runInTmp(renderCase(formOf({ ...s, expect: e }, { name: 'host/cqov', profile }), { ring: ringSpec, profile, ops: spec.ops }), root);
    expect(run(s.expect).result.mismatches).toEqual([]);
    expect(run(wrong8(s.expect)).code).toBe(1);
    expect(run(dropped8(s.expect)).result.mismatches.join('\n')).toMatch(/user_data 8/);
    const pc = prepareCase(spec, profile, FILE, c);
    const plant = (f: (e: Expectation) => Expectation, tag: string) => {
      const want = f(pc.form.want);
      return { ...pc, id: `${pc.id}-${tag}`, c: { ...pc.c, expect: want }, form: { ...pc.form, id: `${pc.form.id}-${tag}`, want } };
    };
    const v = await runOnHostExecutor([pc, plant(wrong8, 'wrong'), plant(dropped8, 'dropped')], { spec, cacheDir: cacheDir(), timeoutMs: 20_000 });
    expect(v.map((x) => x.kind)).toEqual(['pass', 'fail', 'fail']);
  });

  it('is refused with a CQ ring smaller than the SQ ring (io_uring_setup() would refuse it)', () => {
    const y = 'description: x\nrules: [chain.cq.overflow-kept]\nprovenance: { kind: hand-written }\nring: { entries: 8, cq_entries: 4 }\nsqes:\n  - { op: NOP }\n';
    expect(() => parseCase('cq.yaml', y, spec)).toThrow(/cq\.yaml:\d+:\d+: .*cq_entries 4 is below entries 8/);
  });
});
